"""How the shipped name model (``privrag/pii/data/name_model``) is made: ``corpus`` writes the
synthetic lines, ``train`` fine-tunes the base spaCy NER on them. A developer tool (it needs the
dev extras, for Faker); nothing at run time imports it."""
