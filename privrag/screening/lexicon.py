"""The words the screening features are built from, by concept, in the languages the scrubber
covers (English, German, French, Spanish, Italian, Dutch, Portuguese, Polish, Swedish, Danish,
Norwegian, Finnish). Each concept is a regex alternation over lower-cased, NFKC text; a feature
is a concept near another (``features``), never one exact sentence."""

from __future__ import annotations

# Who is addressed: a machine reader.
AI = (
    r"ai|a\.i\.|llms?|chatbot|chat-?gpt|gpt(?:-?\d\w*)?|claude|gemini|copilot|bard"
    r"|language model|sprachmodell|modèle de langage|modelo de lenguaje"
    r"|modello linguistico|taalmodel|modelo de linguagem|model językowy|modelu językowego"
    r"|språkmodell|sprogmodel|kielimalli|tekoäly|ki|ia|l'ia|l'ai|ai:n|ai-assistent\w*"
)
ASSISTANT = (
    r"assistant|assistent|assistentin|asistente|assistente|asystent|asystencie|agent|model|modell"
    r"|modèle|modelo|modello|bot|system"
)
VOCATIVE = (
    r"note|message|attention|hint|notice|instruction|reminder|dear|hey|hi|hello|to|for|hinweis"
    r"|nachricht|an|liebe|lieber|achtung|pour|à|cher|chère|nota|para|querido|querida|aviso"
    r"|per|caro|cara|aan|beste|voor|uwaga|do|till|hej|huomio"
)

# Setting earlier instructions aside.
OVERRIDE = (
    r"ignore|ignoring|ignores|disregard\w*|forget|forgetting|override|overrule|bypass|set aside"
    r"|discard|abandon|skip|supersede\w*|ignorier\w*|vergiss|vergessen|missacht\w*|übergeh\w*"
    r"|hinwegsetz\w*|verwirf|ignor\w*|oubli\w*|outrepass\w*|contourn\w*|ne tiens? pas compte"
    r"|ne tenez pas compte|fais abstraction|olvid\w*|omit\w*|pasa por alto|descart\w*"
    r"|dimentic\w*|trascur\w*|tralascia\w*|negeer\w*|vergeet|omzeil\w*|esque[cç]\w*"
    r"|desconsider\w*|zignoruj\w*|ignoruj\w*|zapomnij|pomiń|ignorera|glöm|strunta i|bortse fra"
    r"|glem|ohita|unohda"
)
INSTRUCTIONS = (
    r"instructions?|prompts?|rules|guidelines|guidance|directives?|guardrails|restrictions"
    r"|policies|programming|system (?:prompt|message)|safety (?:rules|guidelines|filters)"
    r"|anweisung\w*|instruktion\w*|regeln|vorgaben|richtlinien|systemprompt|befehle|consignes"
    r"|règles|instrucciones|reglas|indicaciones|directrices|órdenes|istruzioni|regole|direttive"
    r"|instructies|regels|richtlijnen|opdrachten|instruções|instrucoes|regras|diretrizes"
    r"|instrukcj\w*|polece\w*|zasad\w*|reguł\w*|instruktioner\w*|instruksjoner|instrukser"
    r"|regler\w*|riktlinjer|ohjeet|ohjeita|säännöt|everything (?:above|before|you were told)"
    r"|what you were told|alles (?:oben|bisherige)"
)
# Words between the verb and the object that make it about *the reader's* instructions.
SCOPE = (
    r"all|any|every|previous|prior|above|earlier|preceding|initial|original|your|system|existing"
    r"|alle|vorherig\w*|bisherig\w*|vorangegangen\w*|deine|ihre|obig\w*|toutes|tous|précédent\w*"
    r"|tes|vos|antérieur\w*|ci-dessus|todas|todos|anteriores|previas|tus|sus|tutte|precedenti"
    r"|tue|vorige|eerdere|je|jouw|tuas|suas|seu|sua|wszystkie|poprzednie|swoje|swój|swoich"
    r"|alla|tidigare|dina|föregående|dine|tidligere|kaikki|aiemmat"
)
FIRST_PERSON = (
    r"my|our|meine|unsere|mes|nos|mis|nuestras|mie|nostre|mijn|onze|minhas|moje|nasze|mina|våra"
)
CANCELLED = (
    r"no longer appl\w*|(?:are|is) (?:now )?(?:void|cancel+ed|obsolete|outdated|revoked|superseded"
    r"|suspended|lifted)|supersede\w*|nicht mehr gültig|außer kraft|ne s'appliquent plus"
    r"|ya no (?:se )?aplican|non valgono più|gelden niet meer|não se aplicam"
)

# Taking another identity or dropping limits.
PERSONA = (
    r"you are now|you're now|from now on,? you|from this point on,? you|henceforth,? you"
    r"|you will now (?:act|behave|respond|answer)|pretend (?:to be|you are|you're)|roleplay as"
    r"|du bist (?:jetzt|nun|ab sofort)|ab (?:jetzt|sofort),? (?:bist du|du)"
    r"|(?:tu es|vous êtes) (?:maintenant|désormais|dorénavant)|à partir de maintenant,? (?:tu|vous)"
    r"|ahora eres|a partir de ahora,? (?:eres|tú|serás)|desde ahora,? eres"
    r"|(?:ora|adesso) sei|(?:da ora|d'ora) in poi,? (?:sei|tu)|je bent nu|u bent nu|vanaf nu ben je"
    r"|agora (?:você|voce|tu) (?:é|és|e)|a partir de agora,? (?:você|tu|és|é)"
    r"|jesteś teraz|jestes teraz|od teraz (?:jesteś|jestes)|du är nu|från och med nu är du"
    r"|du er nu|du er nå|olet nyt"
)
UNLIMITED = (
    r"no content polic\w+|no (?:policy|policies|restrictions|limits|limitations|filters|rules)"
    r"|without (?:any )?(?:restrictions|limits|limitations|filters|censorship|rules)"
    r"|unrestricted|unfiltered|uncensored|jailbr\w+|do anything now|dan"
    r"|(?:developer|dev|admin|god|debug|maintenance|sudo|root) mode"
    r"|ohne (?:jegliche |alle )?(?:einschränkungen|beschränkungen|filter|grenzen)"
    r"|entwicklermodus|admin-?modus|administratormodus|sans (?:aucune )?(?:restriction|limite|filtre)s?"
    r"|mode (?:administrateur|développeur|admin)|sin (?:ninguna )?(?:restricci\w+|límites|limites|filtros)"
    r"|modo (?:administrador|desarrollador|desenvolvedor)|senza (?:alcun\w* )?(?:restrizion\w+|limiti|filtri)"
    r"|modalità (?:amministratore|sviluppatore)|zonder (?:enige )?(?:beperkingen|filters)"
    r"|beheerdersmodus|ontwikkelaarsmodus|sem (?:nenhuma )?(?:restriç\w+|restric\w+|limites|filtros)"
    r"|bez (?:żadnych )?(?:ograniczeń|ograniczen|filtrów)|tryb (?:administratora|dewelopera)"
    r"|utan (?:några )?(?:begränsningar|filter)|administratörsläge|utvecklarläge|uden begrænsninger"
    r"|uten begrensninger|ilman rajoituksia"
)

# Asking for what the reader holds.
REVEAL = (
    r"reveal|print|output|show|display|repeat|dump|leak|disclose|expose|list|send|forward"
    r"|exfiltrate|include|append|tell|give|share|copy|write out|return|quote|recite|provide"
    r"|post|upload|email|zeig\w*|gib|geben|nenn\w*|verrat\w*|offenleg\w*|ausgeben|sende\w*"
    r"|schick\w*|wiederhol\w*|révèle\w*|affiche\w*|montre\w*|donne\w*|envoie\w*|répète\w*"
    r"|divulgue\w*|imprime\w*|revela\w*|muestra\w*|enseña\w*|dame|dime|envía\w*|envia\w*"
    r"|repite|rivela\w*|mostra\w*|dammi|invia\w*|ripeti|stampa|elenca|toon|geef|onthul\w*"
    r"|stuur|herhaal|revel\w*|mostr\w*|dá|ujawnij|pokaż|pokaz|podaj|wyślij|wyslij|powtórz"
    r"|wypisz|visa|avslöja|ge|skicka|upprepa|skriv ut|vis|giv|oppgi|näytä|paljasta"
)
SECRETS = (
    r"system prompt|systemprompt|initial prompt|hidden (?:prompt|instructions)"
    r"|(?:your|the) (?:instructions|prompt)|api keys?|api-keys?|apikeys?|passwords?|credentials|secrets?"
    r"|tokens|private keys?|environment variables|env vars|other (?:documents|users|customers|tenants)"
    r"|all (?:documents|files|records|data)|every (?:document|file|secret|password|key)"
    r"|conversation(?: history)?|chat history|confidential (?:data|information|documents|ones)"
    r"|(?:the|your) context|passwörter|passwort|kennwörter|zugangsdaten|api-schlüssel\w*"
    r"|geheimnisse|anderen dokumente|mots de passe|clés api|clés secrètes|identifiants"
    r"|autres documents|prompt système|contraseñas|claves(?: api)?|credenciales|otros documentos"
    r"|prompt del sistema|prompt de sistema|chiavi(?: api)?|segreti|credenziali|altri documenti"
    r"|prompt di sistema|wachtwoorden|sleutels|geheimen|systeemprompt|andere documenten|senhas"
    r"|palavras-passe|chaves(?: api)?|segredos|credenciais|outros documentos|hasła|hasla"
    r"|klucze(?: api)?|prompt systemowy|inne dokumenty|lösenord|nycklar|hemligheter|andra dokument"
    r"|adgangskoder|passord|salasanat"
)
SYSTEM_PROMPT = (
    r"system prompt|systemprompt|prompt (?:système|del sistema|de sistema|di sistema|systemowy)"
    r"|systeemprompt|initial prompt|hidden (?:prompt|instructions)|prompt systemowy"
)

# Keeping the user in the dark.
SECRECY = (
    r"(?:do not|don't|never) (?:tell|inform|alert|notify|let) the (?:user|reader|customer)"
    r"|(?:do not|don't|never) (?:mention|reveal|disclose) (?:this|these|that you)"
    r"|without (?:telling|informing|alerting|notifying) the (?:user|reader)"
    r"|keep this (?:instruction|note|message|request) (?:secret|hidden|confidential)"
    r"|(?:secretly|silently|quietly|covertly) (?:add|insert|append|include|send|forward|change|tell)"
    r"|the user (?:must|should) not (?:know|see|be told)|say nothing about"
    r"|sans (?:prévenir|informer|le dire à) l'utilisateur|ne le dis rien|ne dis rien"
    r"|sage dem (?:nutzer|benutzer) nichts|ohne (?:dass|den) (?:der )?(?:nutzer|benutzer)"
    r"|sin (?:avisar|decir(?:le)?|informar) al usuario|no le digas nada|no digas nada"
    r"|senza (?:dirlo|avvisare|informare) l'utente|zonder de gebruiker te|sem avisar o utilizador"
    r"|sem avisar o usuário|nie mów użytkownikowi|utan att berätta"
)
OUTPUT_CONTROL = (
    r"(?:in|at the (?:start|end|beginning) of|to) your (?:answer|response|reply|output|summary)"
    r"|(?:respond|reply|answer) only with|(?:end|start|begin) (?:every|each|your) (?:answer|response|reply)"
    r"|when (?:you )?(?:summari[sz]\w*|answer\w*|respond\w*)|before (?:you )?(?:summari[sz]\w*|answer\w*|respond\w*)"
    r"|tell the user|in deiner antwort|antworte nur|dans (?:ta|votre) réponse|réponds uniquement"
    r"|en tu respuesta|responde solo|nella tua risposta|rispondi solo|in je antwoord"
    r"|na (?:sua|tua) resposta|w swojej odpowiedzi|i ditt svar"
)
NEW_ORDERS = (
    r"your (?:new|real|true|only|actual) (?:task|instructions?|role|goal|objective|purpose|rule)"
    r"|(?:obey|comply with|follow) (?:only )?(?:this|these|the following|what comes next|what this)"
    r"|do exactly as|treat the (?:text|content|following) .{0,20}as your"
    r"|deine neue aufgabe|ta nouvelle (?:tâche|mission)|tu nueva tarea|il tuo nuovo compito"
    r"|je nieuwe taak|a tua nova tarefa|twoje nowe zadanie|din nya uppgift"
)
TOOLS = (
    r"(?:call|invoke|use|run|execute|trigger) (?:the |your )?(?:`?[\w.]+`? )?"
    r"(?:tool|function|plugin|action|browsing tool|browser|code tool|code interpreter|shell)"
)
DECODE_AND_ACT = (
    r"decode (?:this|the following|it)[^.]{0,40}(?:follow|execute|run|act on|obey|apply)"
)
