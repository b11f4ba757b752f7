"""Dependency-based event detection: triggers (verbs and nominalisations), source and target, status.

Works on one spaCy ``Doc`` with the actor mentions found by the actors stage. Each candidate carries a CAMEO code from
the trigger lexicon; typing into PLOVER (and the learned classifier's say) happens in :mod:`dateline.events.code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from dateline.datelines import dateline_end
from dateline.events.lexicon import Lexicon
from dateline.events.verbs import VerbDictionary
from dateline.lang import ACTOR_NOUNS, FUTURE_AUX, MODALS, NEG_WORDS, REPORTING
from dateline.model import ActorMention

SUBJ_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJ_DEPS = {"nsubjpass", "csubjpass"}
OBJ_DEPS = {"dobj", "dative", "attr", "oprd"}
TARGET_PREPS = {"with", "against", "on", "to", "toward", "towards", "upon", "into", "at", "over", "for", "from", "between"}
# Prepositions that name the target of an event rather than where or when it happened, per head class.
PLACE_PREPS = {"at", "in", "near", "into", "inside", "across", "from", "toward", "towards"}
# prepositions of the circumstance a nominal event sits in ("during talks with X"): its clause's subject holds it
CIRCUMSTANCE_PREPS = frozenset({"during", "at", "after", "before", "for", "in"})
FUTURE_HEADS = {"plan", "intend", "expect", "schedule", "prepare", "aim", "set", "due", "vow", "pledge", "promise",
                "agree", "decide", "hope", "want", "seek", "go", "ready", "willing", "prepared", "poised", "eager",
                "determined"}
HYPOTHETICAL_HEADS = {"fear", "worry", "concern", "warn", "threaten", "urge", "call", "demand", "deny", "avoid",
                      "prevent", "consider", "propose", "suggest", "could", "may", "might", "ask", "refuse",
                      "reject", "oppose", "ban", "rule", "discourage", "deter", "caution", "speculation",
                      "possibility", "risk", "allegation", "claim", "rumor", "rumour", "report"}
TRANSFER_VERBS = {"send", "deploy", "provide", "give", "supply", "deliver", "offer", "sell", "ship", "transfer",
                  "pull", "withdraw", "move", "donate", "extend", "grant", "return", "hand", "airlift", "dispatch",
                  "lend", "loan", "contribute", "export", "allocate", "channel", "funnel", "smuggle"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}


@dataclass
class Candidate:
    """An event found in the parse, before PLOVER coding."""

    trigger: Token
    trigger_span: tuple[int, int]
    cameo: str
    pattern: bool  # the code came from a specific pattern or the curated table (the classifier may not override it)
    sentence: Span
    source: list[int] = field(default_factory=list)  # indices into the mention list
    target: list[int] = field(default_factory=list)
    status: str = "asserted"
    nominal: bool = False
    # the syntactic argument's phrase, the side when no known actor resolves ("withdrew from eastern Ukraine")
    loose_target: list[ActorMention] = field(default_factory=list)
    loose_source: list[ActorMention] = field(default_factory=list)  # "the committee declared …"
    # the speaker who demands the clause ("Russia says Israel must end attacks"): the source if it codes as REQUEST
    demanded_by: list[int] = field(default_factory=list)
    rule: str | None = None  # the user verb-dictionary rule that decided the code and sides ("verbs.txt:12")


class MentionIndex(list):
    """Token index → mention index, plus the groups a plural coreference ("the two men") stands for."""

    groups: dict[int, list[int]]
    keys: list[str]  # per mention: the actor it stands for (id, else name, else text), for "not its own target"
    filed_at: int  # character offset where the story starts after its dateline (0: none)

    def group(self, k: int) -> list[int]:
        return self.groups.get(k, [k])

    def others(self, target: list[int], source: list[int]) -> list[int]:
        """``target`` without mentions of an actor on the ``source`` side, without repeats."""
        taken = {self.keys[k] for k in source}
        return [k for k in dict.fromkeys(target) if k not in source and self.keys[k] not in taken]


def mention_index(doc: Doc, mentions: Sequence[ActorMention]) -> MentionIndex:
    """For every token, the index of the mention that covers it (None if none)."""
    index = MentionIndex([None] * len(doc))
    index.groups = {k: list(m.antecedents) for k, m in enumerate(mentions) if len(m.antecedents) > 1}
    index.keys = [str(m.id or m.name or m.text).lower() for m in mentions]
    starts = {t.idx: t.i for t in doc}
    index.filed_at = dateline_end("".join(t.text_with_ws for t in doc[:60]))  # "ALGIERS, Algeria - Police …"
    for k, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            i = starts.get(m.start)
            if i is None:
                continue
            span = doc[i : i + 1]
        for t in span:
            if index[t.i] is None:
                index[t.i] = k
    return index


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _actors_of(tok: Token, index: MentionIndex) -> list[int]:
    """Mentions an argument token stands for: its own, its conjuncts', or one inside its noun phrase."""
    found: list[int] = []
    for t in _conjuncts(tok):
        if t.tag_ in ("WP", "WDT") and t.head.dep_ == "relcl":
            t = t.head.head  # "Shoigu, who visited …" → Shoigu
        k = index[t.i]
        if k is None:
            # "the leaders of Russia", "its government": a mention inside the phrase (head side first)
            for c in t.children:
                if c.dep_ in ("poss", "compound", "nmod", "amod") and index[c.i] is not None:
                    k = index[c.i]
                    break
            if k is None:
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        objs = [g for g in c.children if g.dep_ == "pobj"]
                        if objs and index[objs[0].i] is not None:
                            k = index[objs[0].i]
                            break
        if k is not None:
            found += [g for g in index.group(k) if g not in found]
    return found


def _pobj_targets(tok: Token, index: MentionIndex, place_ok: bool) -> list[int]:
    out: list[int] = []
    for c in tok.children:
        if c.dep_ != "prep" or c.lower_ not in TARGET_PREPS:
            continue
        if not place_ok and c.lower_ in PLACE_PREPS:
            continue
        for g in c.children:
            if g.dep_ == "pobj":
                out += [k for k in _actors_of(g, index) if k not in out]
    return out


def _inherited_subject(verb: Token, index: MentionIndex, depth: int = 0) -> list[int]:
    """Subject of an open clause from its governor: "continued …, firing missiles", "urged X to do"."""
    if depth > 3:
        return []
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "relcl":
        return _actors_of(head, index)
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return _actors_of(head, index)
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "acomp", "attr"):
        gov = head.head if verb.dep_ == "pcomp" else head
        if verb.dep_ == "advcl" and gov.lemma_.lower() in REPORTING:
            # "X overran a base, officials said, killing 17": the reported clause acts, not the speakers
            reported = [c for c in gov.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
            if reported:
                found = _subject(reported[0], index)
                if found:
                    return found
        if verb.dep_ in ("xcomp", "pcomp"):
            objs = [c for c in gov.children if c.dep_ in ("dobj", "dative")]
            found = [k for o in objs for k in _actors_of(o, index)]
            if found:
                return found
        if verb.dep_ == "pcomp":  # "a man was convicted for providing support to …": the man provided it
            found = [k for c in gov.children if c.dep_ in PASSIVE_SUBJ_DEPS for k in _actors_of(c, index)]
            if found:
                return found
        subj = _subject(gov, index)
        if subj:
            return subj
        return _inherited_subject(gov, index, depth + 1)
    return []


def _subject(verb: Token, index: MentionIndex) -> list[int]:
    subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
    for c in subjects:
        found = _actors_of(c, index)
        if c.tag_ == "PRP" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING:
            # "Hungary says it will not accept …", "rebels said they will lay down their weapons": the speaker
            return _subject(verb.head, index) or found
        if found or c is subjects[-1]:
            return found  # a second subject is the parse's reading of a dateline ("BERLIN -- A court …")
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return _actors_of(g, index)
    return []


DEONTIC = {"must", "should", "ought"}


def demanded_by(verb: Token, index: MentionIndex) -> list[int]:
    """The speaker of a reported clause that says what someone must do ("Trump said North Korea must disarm"):
    by reporting it, the speaker demands it of the clause's subject."""
    if not any(c.dep_ == "aux" and c.lower_ in DEONTIC for c in verb.children):
        return []
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in REPORTING:
        return []
    return _subject(verb.head, index)


def _object_targets(verb: Token, index: MentionIndex, passive: bool) -> list[int]:
    """Actors of the direct object(s), or of the agent of a nominal object ("condemned a protest by farmers")."""
    target: list[int] = []
    for c in verb.children:
        if c.dep_ in OBJ_DEPS or (passive and c.dep_ in PASSIVE_SUBJ_DEPS):
            target += [k for k in _actors_of(c, index) if k not in target]
            if not target and c.pos_ == "NOUN":
                target += [k for p in c.children if p.dep_ == "prep" and p.lower_ == "by"
                           for g in p.children if g.dep_ == "pobj" for k in _actors_of(g, index)]
    return target


def verb_arguments(verb: Token, index: MentionIndex) -> tuple[list[int], list[int]]:
    """(source, target) mention indices of a verbal trigger. Each rule for the target is tried in turn until one
    yields an actor other than the source ("opened its borders to refugees": "its" is Lithuania, so "refugees")."""
    passive = any(c.dep_ in PASSIVE_SUBJ_DEPS or c.dep_ == "auxpass" for c in verb.children)
    source = _subject(verb, index)
    if not source and not any(c.dep_ in SUBJ_DEPS or c.dep_ in PASSIVE_SUBJ_DEPS for c in verb.children):
        source = _inherited_subject(verb, index)

    def datives() -> list[int]:  # "sent troops to Iraq", "agreed to lend $1 billion to Indonesia": the recipient
        heads = [g for c in verb.children if c.dep_ == "dative"
                 for g in ([c] if c.pos_ != "ADP" else [x for x in c.children if x.dep_ == "pobj"])]
        found = [k for d in heads for k in _actors_of(d, index)]
        if found or verb.lemma_.lower() not in TRANSFER_VERBS:
            return found
        return _pobj_targets(verb, index, place_ok=True)

    def object_preps() -> list[int]:  # "imposed sanctions on Russia", "provide support for Ukraine"
        return [k for c in verb.children if c.dep_ in OBJ_DEPS for k in _pobj_targets(c, index, place_ok=False)]

    def nested_preps() -> list[int]:  # "called for sanctions against China", "voiced support for Kyiv"
        return [k for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
                for k in _pobj_targets(g, index, place_ok=False)]

    def passive_head() -> list[int]:
        return _inherited_subject(verb, index) if passive and verb.dep_ in ("relcl", "acl") else []

    def open_clause() -> list[int]:  # "agreed to send troops to Ukraine", "is ready to help Libya"
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
                return verb_arguments(c, index)[1]
            if c.dep_ == "acomp":
                for x in c.children:
                    if x.dep_ == "xcomp" and x.pos_ in ("VERB", "AUX"):
                        return verb_arguments(x, index)[1]
        return []

    def partner() -> list[int]:  # "discussed Libya with Trump": the partner, not the topic
        return [k for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                for g in c.children if g.dep_ == "pobj" for k in _actors_of(g, index)]

    def clause_subject() -> list[int]:  # "would allow the WFP to deliver food", "warned that Iran would pay"
        if verb.lemma_.lower() in REPORTING:
            return []
        for c in verb.children:
            if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
                for g in c.children:
                    if g.dep_ in SUBJ_DEPS or g.dep_ in PASSIVE_SUBJ_DEPS:
                        return _actors_of(g, index)
        return []

    objects = lambda: _object_targets(verb, index, passive)  # noqa: E731

    def shared_object() -> list[int]:  # "has been attacking and fighting Kenyan troops": one object, two verbs
        if any(c.dep_ in OBJ_DEPS for c in verb.children):
            return []
        return [k for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"
                for k in _object_targets(c, index, False)]
    if verb.lemma_.lower() in TRANSFER_VERBS:  # "withdrew 200 peacekeepers from Liberia": the object is what moves
        rules = (datives, partner, object_preps, objects, nested_preps, passive_head, open_clause, clause_subject)
    else:
        rules = (datives, partner, objects, lambda: _pobj_targets(verb, index, place_ok=False), object_preps,
                 nested_preps, passive_head, open_clause, clause_subject, shared_object)
    for rule in rules:
        target = index.others(rule(), source)
        if target:
            return source, target
    return source, []


NAMED = {"GPE", "LOC", "ORG", "NORP", "FAC", "PERSON"}
NOT_ARGUMENT_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
THING_ENTS = {"LAW", "WORK_OF_ART", "EVENT", "PRODUCT", "LANGUAGE"}  # named things, never actors
ARG_PREPS = TARGET_PREPS | {"in", "into", "from", "to"}


def actor_head(tok: Token) -> bool:
    """Whether a phrase headed by ``tok`` can name an actor: a name, or a common noun of a person or a group
    ("police", "asylum seekers"); not a thing, amount, weapon, activity or abstract noun ("the deal", "tear gas",
    "further details", "a roadside bomb", "U.S. military operations")."""
    if tok.ent_type_ in THING_ENTS:
        return False  # "a 'Treaty on Comprehensive Strategic Partnership'", "the Beijing Olympics"
    if tok.pos_ == "PROPN" and not tok.ent_type_ and tok.is_sent_start and not tok.is_upper:
        # a capitalised first word no entity covers ("Video posted on an official account showed …") is a word
        return tok.lemma_.lower() in ACTOR_NOUNS or tok.lower_ in ACTOR_NOUNS
    if tok.pos_ == "PROPN" or tok.ent_type_ in NAMED or (tok.is_upper and len(tok) > 1 and tok.is_alpha):
        return True  # names, and acronyms the tagger took for common nouns ("ICE")
    return tok.lemma_.lower() in ACTOR_NOUNS or tok.lower_ in ACTOR_NOUNS


INNER_PREPS = frozenset({"of", "by", "from", "for", "against", "with"})


def _inner_actor(tok: Token, named: bool, depth: int) -> ActorMention | None:
    """The actor inside a thing's phrase: its possessor ("the Iraqi government's demand"), the object of "of", "by",
    "from" … ("a request from the prime minister", "offers by the Kabul government"), the agent of a participle
    ("every offer made by the Taliban")."""
    inner = [c for c in tok.children if c.dep_ == "poss"]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in INNER_PREPS:
            inner += [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ == "acl":
            inner += [g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    for c in inner:
        m = _phrase(c, named, depth + 1)
        if m:
            return m
    return None


def _phrase(tok: Token, named: bool = True, depth: int = 0) -> ActorMention | None:
    """The noun phrase an argument token heads, when it names something (an entity or a proper noun); with
    ``named=False`` any common-noun phrase ("returned asylum seekers"). Its head must be able to name an actor
    (:func:`actor_head`); a thing's phrase gives the actor inside it, if any (:func:`_inner_actor`)."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in NOT_ARGUMENT_ENTS:
        return None  # "on Sunday", "last month", "$1.7 billion" are when and how much, not whom
    if not actor_head(tok):  # "the deal", "tear gas" are what, not whom
        return _inner_actor(tok, named, depth) if depth < 2 else None
    words = [t for t in tok.subtree if t.i <= tok.i or t.dep_ in ("compound", "prep", "pobj", "amod")]
    words = [t for t in words if abs(t.i - tok.i) <= 8]
    while words and (words[0].dep_ in ("det", "poss", "predet", "case") or words[0].is_punct):
        words = words[1:]
    if not words or (named and not any(t.ent_type_ in NAMED or t.pos_ == "PROPN" for t in words)):
        return None
    first, last = words[0], max(words, key=lambda t: t.i)
    doc = tok.doc
    start, end = first.i, last.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I" and end - tok.i <= 12:  # never cut a name in two
        end += 1
    span = doc[start:end]
    return ActorMention(span.text, span.start_char, span.end_char, kind="argument")


def _prep_phrases(tok: Token, preps: set[str]) -> list[ActorMention]:
    return [m for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj" and (m := _phrase(g))]


def loose_target(verb: Token, depth: int = 0) -> list[ActorMention]:
    """The object of a trigger that resolved to no actor: a named one first ("withdrew from eastern Ukraine",
    "welcomed the WEF", "a ceasefire in Poonch district", "agreed to send troops to Ukraine", "approved troop
    deployments in Libya"), else the object's own phrase ("will not accept returned asylum seekers")."""
    passive = any(c.dep_ in PASSIVE_SUBJ_DEPS for c in verb.children)
    objects = [c for c in verb.children if c.dep_ in OBJ_DEPS or (passive and c.dep_ in PASSIVE_SUBJ_DEPS)]
    transfer = verb.lemma_.lower() in TRANSFER_VERBS  # "gave 350 million euros to Ethiopia": where it goes
    found = _prep_phrases(verb, ARG_PREPS) if transfer else []
    if found:
        return found[:1]
    for c in objects:
        m = _phrase(c)
        if m:
            return [m]
    found = _prep_phrases(verb, ARG_PREPS)
    if found:
        return found[:1]
    for c in verb.children:
        if c.dep_ == "xcomp" and depth < 2:
            inner = loose_target(c, depth + 1)
            if inner:
                return inner
    for c in objects:
        found = _prep_phrases(c, ARG_PREPS | {"of"})
        if found:
            return found[:1]
    for c in objects if not transfer else ():  # what is sent or deployed is no target ("deployed forces")
        # PLV CV target F1: 0.552 with any common noun, 0.545 plural nouns only, 0.542 none
        m = _phrase(c, named=False)
        if m:
            return [m]
    return []


def loose_subject(trigger: Token, filed_at: int = 0) -> list[ActorMention]:
    """The subject phrase of a trigger that resolved to no actor ("The committee declared …", "the ELN declared a
    ceasefire"); pronouns and clauses are not phrases, nor a dateline before ``filed_at`` (a character offset). A
    nominal trigger's "by" agent counts as its subject."""
    verb = trigger.head if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "attr") else trigger
    for c in verb.children:
        if c.dep_ in SUBJ_DEPS and c.idx >= filed_at:
            m = _phrase(c, named=False)
            return [m] if m else []
    for c in verb.children:
        if c.dep_ == "agent":
            return [m for g in c.children if g.dep_ == "pobj" and (m := _phrase(g, named=False))][:1]
    return []


def _of_objects(noun: Token, index: MentionIndex) -> list[int]:
    return [k for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj" for k in _actors_of(g, index)]


def noun_arguments(noun: Token, index: MentionIndex, agent_of: bool = False) -> tuple[list[int], list[int]]:
    """(source, target) of a nominal trigger: "the Putin-Kim meeting", "Russia's attack on Kyiv", "talks with X";
    with ``agent_of``, "of" names who acts ("the visit of the minister"), else whom ("the invasion of Ukraine")."""
    source: list[int] = []
    for c in noun.children:
        k = index[c.i]
        if c.dep_ in ("poss", "compound", "amod", "nmod") and k is not None:
            source += [g for g in index.group(k) if g not in source]
        elif c.dep_ == "compound":  # "the Putin-Kim meeting": a chain of compounds, "Kim" unresolved
            source += [k for g in c.children if g.dep_ == "compound" and (k := index[g.i]) is not None
                       and k not in source]
        elif c.dep_ == "prep" and c.lower_ == "by":
            source += [k for g in c.children if g.dep_ == "pobj" for k in _actors_of(g, index)]
        elif c.dep_ == "prep" and c.lower_ == "between":
            source += [k for g in c.children if g.dep_ == "pobj" for k in _actors_of(g, index)]
    if agent_of and not source:
        source = _of_objects(noun, index)
    target = index.others(_pobj_targets(noun, index, place_ok=False), source)
    if not target and not agent_of:  # "the invasion of Ukraine", "an investigation of the bank"
        target = index.others(_of_objects(noun, index), source)
    head = noun.head
    if not source and noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        source = _subject(head, index) or _inherited_subject(head, index)
        target = index.others(target or _pobj_targets(head, index, place_ok=False), source)
    elif not source and noun.dep_ == "pobj" and head.lower_ in CIRCUMSTANCE_PREPS and head.head.pos_ in ("VERB", "AUX"):
        # "hopes to resolve the pause during talks with Ukrainian officials": whoever resolves holds the talks
        source = _subject(head.head, index) or _inherited_subject(head.head, index)
        target = index.others(target, source)
    return source, target



def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in NEG_WORDS and c.dep_ in ("advmod", "det") for c in tok.children):
        return True
    return tok.dep_ in ("xcomp", "conj") and any(c.dep_ == "neg" for c in tok.head.children)


def status_of(tok: Token) -> str:
    """asserted | negated | future | hypothetical, from negation, modality, tense and governing verbs."""
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in tok.children):
        return "hypothetical"
    head, steps = tok, 0
    while head.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "acl", "advcl", "conj", "relcl") and steps < 5:
        head = head.head
        steps += 1
        lemma = head.lemma_.lower()
        if lemma in HYPOTHETICAL_HEADS:
            return "hypothetical"
        if lemma in FUTURE_HEADS and steps == 1 and tok.dep_ == "xcomp":
            return "future"
    if _negated(tok):
        return "negated"
    if aux & MODALS:
        return "hypothetical"
    if aux & FUTURE_AUX:
        return "future"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in FUTURE_HEADS:
        return "future"
    return "asserted"


def nominal_status(noun: Token) -> str:
    """Status of a nominal event from the verb that governs it ("is seeking aid" → hypothetical)."""
    tok, steps = noun, 0
    while tok.dep_ in ("conj", "dobj", "pobj", "prep", "nmod", "appos", "attr", "nsubj", "nsubjpass") and steps < 6:
        tok = tok.head
        steps += 1
        if tok.pos_ in ("VERB", "AUX"):
            lemma = tok.lemma_.lower()
            if lemma in FUTURE_HEADS or lemma in HYPOTHETICAL_HEADS:
                return "hypothetical"
            return status_of(tok)
    return "negated" if _negated(noun) else "asserted"


def _following_words(tok: Token) -> set[str]:
    """Lower-case forms and lemmas of the words after a verb in its clause (for object patterns)."""
    words: set[str] = set()
    for c in tok.children:
        if c.i > tok.i and c.dep_ not in ("conj", "cc", "punct", "advcl", "ccomp"):
            for t in c.subtree:
                if t.i - tok.i > 8:
                    break
                words.add(t.lower_)
                words.add(t.lemma_.lower())
    return words


def find_candidates(doc: Doc, mentions: Sequence[ActorMention], lex: Lexicon,
                    verbs: VerbDictionary | None = None) -> list[Candidate]:
    """Every event candidate in the document whose source or target is a known actor; ``verbs``: user verb
    dictionaries, whose rules decide a verb's code and sides before the lexicon (:mod:`dateline.events.verbs`)."""
    index = mention_index(doc, mentions)
    found: list[Candidate] = []
    for sent in doc.sents:
        triggers: set[int] = set()  # token indices of triggers, and of verbs a user rule says are no event
        for tok in sent:
            cand = _candidate(tok, sent, index, lex, verbs, triggers)
            # a trigger whose sides resolve to no known actor still counts when its syntax names someone ("three
            # managers have been arrested"); the gate weighs such records
            if cand is not None and (cand.source or cand.target or cand.loose_source or cand.loose_target):
                found.append(cand)
                triggers.add(cand.trigger.i)
        # the main clause is a candidate even when a subordinate word is a trigger ("launched cyber warfare
        # against India by spreading propaganda"): the classifier types it or it is dropped
        cand = clause_candidate(sent, index, lex)
        if cand is not None and cand.trigger.i not in triggers:
            found.append(cand)
    return found


# Verbs curated as no trigger on their own that may still head an untyped main clause the classifier types:
# "launched cyber warfare against India", "began joint military exercises", "joined an investigation".
OPEN_CLAUSE_VERBS = {"launch", "begin", "start", "join", "seek", "conduct", "stage", "carry", "go", "send", "arrive"}
# Main-clause verbs that never carry an event of their own, even when the classifier sees one in the sentence.
NON_EVENT_CLAUSE = {"show", "include", "see", "appear", "smile", "shake", "have", "be", "seem", "become",
                    "need", "want", "know", "think", "believe", "feel", "mean", "cost", "own", "contain", "lack",
                    "exist", "live", "like", "look", "sound"}


def _main_clause_verb(sent: Span) -> Token | None:
    """The root verb; for "X said (that) Y …" the reported clause's verb; a reporting verb with a noun object
    stands for itself ("Nigeria announced the deployment of troops to Liberia")."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    if root.lemma_.lower() in REPORTING:
        inner = [c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
        if inner:
            return _ready_to(inner[0]) or inner[0]
        return root if any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") for c in root.children) else None
    return _ready_to(root) or root


def _ready_to(verb: Token) -> Token | None:
    """The verb a predicate adjective opens: "is ready to send troops", "is committed to opening the economy"."""
    if verb.lemma_.lower() != "be":
        return None
    for a in verb.children:
        if a.dep_ != "acomp":
            continue
        for c in a.children:
            if c.dep_ == "xcomp" and c.pos_ == "VERB":
                return c
            if c.dep_ == "prep":
                inner = [g for g in c.children if g.dep_ == "pcomp" and g.pos_ == "VERB"]
                if inner:
                    return inner[0]
    return None


def clause_candidate(sent: Span, index: MentionIndex, lex: Lexicon) -> Candidate | None:
    """A sentence with no lexicon trigger may still report an event ("X remains the largest donor of aid to Y",
    "Russia launched cyber warfare against the UK"): its main clause becomes an untyped candidate when an actor is
    its subject. The classifier types it, or it is dropped."""
    verb = _main_clause_verb(sent)
    if verb is None or verb.lemma_.lower() in NON_EVENT_CLAUSE:
        return None
    lemma = verb.lemma_.lower()
    entry = lex.verbs.get(lemma)
    if entry is not None and entry.code is None and not entry.patterns and lemma in lex.curated \
            and lemma not in OPEN_CLAUSE_VERBS:
        return None  # curated as no trigger on its own ("arrive", "make"): not worth a classifier pass
    source, target = verb_arguments(verb, index)
    loose_src = loose_subject(verb, index.filed_at)
    if not target:
        objs = [t for c in verb.children if c.dep_ in OBJ_DEPS or c.dep_ == "prep" and c.lower_ not in PLACE_PREPS
                for t in c.subtree]  # "gathered in Paris": where, not whom
        target = index.others([k for t in objs if (k := index[t.i]) is not None], source)
    if not source and not loose_src and not target:
        return None  # nobody acts and nobody is acted on; a target alone needs a sure classifier (code.py)
    return Candidate(trigger=verb, trigger_span=(verb.idx, verb.idx + len(verb.text)), cameo="", pattern=False,
                     sentence=sent, source=source, target=target, status=status_of(verb),
                     loose_target=loose_target(verb), loose_source=loose_src,
                     demanded_by=demanded_by(verb, index))


def _user_rule(tok: Token, index: MentionIndex, verbs: VerbDictionary
               ) -> tuple[str | None, list[int], list[int], str, bool] | None:
    """(code, source, target, rule, mutual) from the user's verb dictionaries, None when they do not decide; a code
    of None (the null code, or a CAMEO 01 statement, which PLOVER drops) means the rule says: no event."""
    parsed: list[tuple[list[int], list[int]]] = []

    def sides() -> tuple[list[int], list[int]]:
        if not parsed:
            parsed.append(verb_arguments(tok, index))
        return parsed[0]

    found = verbs.match(tok, index, sides)
    if found is None:
        return None
    if found.code is None or found.code.startswith("01"):
        return None, [], [], found.rule, False
    source = found.source if found.source is not None else sides()[0]
    target = found.target if found.target is not None else sides()[1]
    return found.code, source, index.others(target, source), found.rule, found.mutual


def _candidate(tok: Token, sent: Span, index: MentionIndex, lex: Lexicon, verbs: VerbDictionary | None = None,
               silenced: set[int] | None = None) -> Candidate | None:
    lemma = tok.lemma_.lower()
    rule, mutual = None, False
    if tok.pos_ == "VERB":
        user = _user_rule(tok, index, verbs) if verbs is not None else None
        if user is not None:
            code, source, target, rule, mutual = user
            if code is None:  # the user's rule: not an event (not even as an untyped main clause)
                if silenced is not None:
                    silenced.add(tok.i)
                return None
            pattern = True
        else:
            code, pattern = lex.verb_code(lemma, _following_words(tok))
            if not code or code.startswith("01"):
                return None
            source, target = verb_arguments(tok, index)
        nominal = False
    elif tok.pos_ in ("NOUN", "PROPN") and index[tok.i] is None:
        code = lex.nouns.get(lemma) or lex.nouns.get(tok.lower_)
        if not code:
            return None
        # "held talks": a light verb's object carries the event; a trigger verb ("provide support") keeps it
        if tok.dep_ in ("dobj", "attr") and tok.head.pos_ == "VERB":
            head_code, _ = lex.verb_code(tok.head.lemma_.lower(), _following_words(tok.head))
            if head_code and not head_code.startswith("01"):
                return None
        source, target = noun_arguments(tok, index, lemma in lex.agent_of or tok.lower_ in lex.agent_of)
        pattern, nominal = False, True
    else:
        return None
    passive = any(c.dep_ in PASSIVE_SUBJ_DEPS for c in tok.children)
    if (mutual or lex.is_symmetric(code)) and not passive:  # "Kim and Putin met": both sides of a mutual event
        if not source and len(target) > 1:
            source, target = target[:1], target[1:]
        elif len(source) > 1 and not target:
            source, target = source[:1], source[1:]
    status = nominal_status(tok) if nominal else status_of(tok)
    return Candidate(
        trigger=tok, trigger_span=(tok.idx, tok.idx + len(tok.text)), cameo=code, pattern=pattern,
        sentence=sent, source=source, target=target, status=status, nominal=nominal,
        loose_target=loose_target(tok), loose_source=loose_subject(tok, index.filed_at),
        demanded_by=[] if nominal else demanded_by(tok, index), rule=rule,
    )
