"""Document-level coreference over actor mentions: shared names, surnames, definite descriptions, groups
("the two men") and personal pronouns. Mentions that corefer get ``kind`` coref/pronoun, ``antecedents`` and the
antecedent's name, country, sector and id."""

from __future__ import annotations

from dateline.actors.mentions import Cand, dominant_country

FIELDS = ("name", "country", "sector", "id")


def copy_from(c: Cand, ante: list[int], cands: list[Cand], kind: str) -> None:
    m = c.mention
    m.kind, m.antecedents = kind, list(ante)
    src = cands[ante[0]].mention
    for f in FIELDS:
        setattr(m, f, getattr(src, f))


def share_names(cands: list[Cand]) -> None:
    """Mentions of the same full name share the best resolution found anywhere in the document."""
    best: dict[tuple[str, ...], Cand] = {}
    for c in cands:
        if len(c.name_words) >= 2 and c.mention.country and c.mention.sector and c.name_words not in best:
            best[c.name_words] = c
    for c in cands:
        b = best.get(c.name_words)
        if b is not None and b is not c:
            for f in ("country", "sector"):
                if getattr(c.mention, f) is None:
                    setattr(c.mention, f, getattr(b.mention, f))


def cand_at(cands: list[Cand], char: int) -> Cand | None:
    """The mention covering a character offset."""
    return next((c for c in cands if c.mention.start <= char < c.mention.end), None)


def link_appositions(cands: list[Cand]) -> None:
    """"Jo Chun Ryong, an official in charge of munitions": the description is the named person; each side fills
    what the other lacks."""
    for c in cands:
        if c.extra.get("gov_rel") != "appos" or c.mention.kind != "description":
            continue
        g = cand_at(cands, c.extra["gov"])
        if g is None or g is c or not g.person or g.mention.kind not in ("name", "coref"):
            continue
        gm, m = g.mention, c.mention
        gm.country, gm.sector = gm.country or m.country, gm.sector or m.sector
        copy_from(c, [cands.index(g)], cands, "coref")
        c.person = True


def fill_country(cands: list[Cand]) -> None:
    """People and descriptions with a sector but no nationality take the country of their governing context (the
    first member of their list, the person they accompany), else the document's dominant country."""
    ctx = dominant_country(cands)
    for c in cands:
        m = c.mention
        if m.country is None and m.sector and m.kind in ("name", "description"):
            g = cand_at(cands, c.extra["gov"]) if "gov" in c.extra else None
            country = g.mention.country if g is not None and g is not c and g.mention.country else ctx
            if country is None:
                continue
            m.country = country
            if m.kind == "description":
                m.id = f"{country}{m.sector}"


def link_surnames(cands: list[Cand]) -> None:
    """"Kim", "Putin", "Shoigu's" → the earlier full name containing that word first or last."""
    for i, c in enumerate(cands):
        if len(c.name_words) != 1:
            continue
        w = c.name_words[0]
        for j in range(i - 1, -1, -1):
            p = cands[j]
            if len(p.name_words) >= 2 and w in (p.name_words[0], p.name_words[-1]) and p.mention.kind == "name":
                copy_from(c, [j], cands, "coref")
                break


def link_descriptions(cands: list[Cand]) -> None:
    """"the North Korean leader" → the latest earlier named person of that country (and sector)."""
    for i, c in enumerate(cands):
        m = c.mention
        if m.kind != "description" or not c.definite or c.plural or not c.person or not m.country:
            continue
        for j in range(i - 1, -1, -1):
            p = cands[j]
            pm = p.mention
            if p.person and pm.kind == "name" and pm.country == m.country and (
                    m.sector is None or pm.sector in (None, m.sector)):
                copy_from(c, [j], cands, "coref")
                break


def people_before(cands: list[Cand], i: int, n: int) -> list[int]:
    """Indexes of the last ``n`` distinct people (by id) before mention ``i``."""
    seen: dict[str, int] = {}
    for j in range(i - 1, -1, -1):
        p = cands[j]
        if p.person and p.mention.id and not p.plural and not p.extra.get("indefinite") and not (
                p.extra.get("tentative") and not p.mention.antecedents):
            root = p.mention.antecedents[0] if p.mention.antecedents else j
            seen.setdefault(p.mention.id, root)
            if len(seen) == n:
                break
    return list(seen.values())


def link_groups(cands: list[Cand]) -> None:
    """"the two men", "the two leaders", "both leaders" → the last two distinct people."""
    for i, c in enumerate(cands):
        if c.count >= 2 and c.definite and c.person and c.mention.kind == "description":
            people = people_before(cands, i, c.count)
            if len(people) == c.count:
                copy_from(c, sorted(people), cands, "coref")
                c.extra["group"] = True


def link_pronouns(cands: list[Cand]) -> None:
    """he/his/him: a subject person earlier in the same sentence, else the latest person, within two sentences;
    they/their: the latest group of people within two sentences."""
    for i, c in enumerate(cands):
        m = c.mention
        if m.kind != "pronoun":
            continue
        if c.person:
            same = [j for j in range(i) if cands[j].sent == c.sent and cands[j].person and not cands[j].plural
                    and cands[j].mention.id and not cands[j].extra.get("indefinite")]
            subj = [j for j in same if cands[j].subject]
            pick = subj[-1] if subj else (same[-1] if same else None)
            if pick is None:
                for j in range(i - 1, -1, -1):
                    p = cands[j]
                    if c.sent - p.sent > 2:
                        break
                    if p.person and not p.plural and p.mention.id and p.mention.kind != "pronoun" and not p.extra.get(
                            "indefinite") or (
                            p.mention.kind == "pronoun" and p.person and p.mention.antecedents):
                        pick = j
                        break
            if pick is not None:
                p = cands[pick]
                ante = p.mention.antecedents if p.mention.kind == "pronoun" else [pick]
                copy_from(c, ante, cands, "pronoun")
        elif c.extra.get("org"):
            link_org_pronoun(cands, i)
        elif c.plural:
            for j in range(i - 1, -1, -1):
                p = cands[j]
                if c.sent - p.sent > 2:
                    break
                if p.extra.get("group") or (p.mention.kind == "pronoun" and p.plural and p.mention.antecedents):
                    copy_from(c, p.mention.antecedents, cands, "pronoun")
                    break


def owner(cands: list[Cand], i: int, person: bool) -> int | None:
    """The antecedent of its (an organisation or country) or his/her (a person): the sentence's subject, else the
    latest one within a sentence."""
    c = cands[i]
    prior = [j for j in range(i - 1, -1, -1) if c.sent - cands[j].sent <= 1 and cands[j].person == person
             and cands[j].mention.kind != "pronoun" and cands[j].mention.country and not cands[j].plural]
    same = [j for j in prior if cands[j].sent == c.sent]
    pick = next((j for j in same if cands[j].subject), None)
    return prior[0] if pick is None and prior else pick


def possessive_country(cands: list[Cand]) -> None:
    """"its troops", "his government": the owner's country."""
    for i, c in enumerate(cands):
        kind = c.extra.get("poss")
        if kind and c.mention.country is None and c.mention.sector:
            j = owner(cands, i, kind == "person")
            if j is not None:
                c.mention.country = cands[j].mention.country
                if c.mention.kind == "description":
                    c.mention.id = f"{c.mention.country}{c.mention.sector}"


def link_org_pronoun(cands: list[Cand], i: int) -> None:
    """its/itself → the owning organisation or country."""
    pick = owner(cands, i, False)
    if pick is not None:
        p = cands[pick]
        copy_from(cands[i], p.mention.antecedents if p.mention.kind == "coref" and p.mention.antecedents else [pick],
                  cands, "pronoun")


def resolve_coreference(cands: list[Cand]) -> None:
    """Run every linking pass in order (names first, pronouns last)."""
    share_names(cands)
    link_surnames(cands)
    link_descriptions(cands)
    link_appositions(cands)
    possessive_country(cands)
    fill_country(cands)
    link_groups(cands)
    link_pronouns(cands)
