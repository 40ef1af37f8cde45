"""Lapland's municipalities and the safety network's organisations, as seed data.

Sources: ../shared/DOMAIN.md (the Lapland safety plan 2020-2023 and the seed presentation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from ..extensions import db
from .models import Municipality, Organisation, OrganisationCategory, SubRegion

E, KT, N, R, TV, F = (
    SubRegion.EASTERN_LAPLAND,
    SubRegion.KEMI_TORNIO,
    SubRegion.NORTHERN_LAPLAND,
    SubRegion.ROVANIEMI,
    SubRegion.TORNE_VALLEY,
    SubRegion.FELL_LAPLAND,
)

#: slug, Finnish, Swedish, Northern Sámi, sub-region, Sámi homeland, the municipality as employer
MUNICIPALITIES = [
    ("enontekio", "Enontekiö", "Enontekis", "Eanodat", F, True, "Enontekiön kunta"),
    ("inari", "Inari", "Enare", "Anár", N, True, "Inarin kunta"),
    ("kemi", "Kemi", None, None, KT, False, "Kemin kaupunki"),
    ("kemijarvi", "Kemijärvi", None, None, E, False, "Kemijärven kaupunki"),
    ("keminmaa", "Keminmaa", None, None, KT, False, "Keminmaan kunta"),
    ("kittila", "Kittilä", None, None, F, False, "Kittilän kunta"),
    ("kolari", "Kolari", None, None, F, False, "Kolarin kunta"),
    ("muonio", "Muonio", None, None, F, False, "Muonion kunta"),
    ("pelkosenniemi", "Pelkosenniemi", None, None, E, False, "Pelkosenniemen kunta"),
    ("pello", "Pello", None, None, TV, False, "Pellon kunta"),
    ("posio", "Posio", None, None, E, False, "Posion kunta"),
    ("ranua", "Ranua", None, None, R, False, "Ranuan kunta"),
    ("rovaniemi", "Rovaniemi", None, "Roavvenjárga", R, False, "Rovaniemen kaupunki"),
    ("salla", "Salla", None, None, E, False, "Sallan kunta"),
    ("savukoski", "Savukoski", None, None, E, False, "Savukosken kunta"),
    ("simo", "Simo", None, None, KT, False, "Simon kunta"),
    ("sodankyla", "Sodankylä", None, "Soađegilli", N, True, "Sodankylän kunta"),
    ("tervola", "Tervola", None, None, KT, False, "Tervolan kunta"),
    ("tornio", "Tornio", "Torneå", None, KT, False, "Tornion kaupunki"),
    ("utsjoki", "Utsjoki", None, "Ohcejohka", N, True, "Utsjoen kunta"),
    ("ylitornio", "Ylitornio", "Övertorneå", None, TV, False, "Ylitornion kunta"),
]

A, NGO, ER = (
    OrganisationCategory.AUTHORITY,
    OrganisationCategory.NGO,
    OrganisationCategory.EDUCATION_RESEARCH,
)

#: slug, name, short name, category: the chair first, then the 16 partners.
CHAIR = ("lapin-liitto", "Lapin liitto", None, A)
PARTNERS = [
    ("lapin-avi", "Lapin aluehallintovirasto", "Lapin AVI", A),
    ("lapin-ely", "Lapin ELY-keskus", None, A),
    ("lapin-pelastuslaitos", "Lapin pelastuslaitos", None, A),
    ("lapin-poliisilaitos", "Lapin poliisilaitos", None, A),
    (
        "lapin-hyvinvointialue",
        "Lapin hyvinvointialue (ent. Lapin sairaanhoitopiiri)",
        "Lapha",
        A,
    ),
    ("spr-lapin-piiri", "Suomen Punainen Risti, Lapin piiri", "SPR", NGO),
    ("lapin-sosterv", "Lapin sosiaali- ja terveysturvayhdistys ry", None, NGO),
    ("lapin-ensi-ja-turvakoti", "Lapin ensi- ja turvakoti ry", None, NGO),
    ("liikenneturva", "Liikenneturva", None, NGO),
    ("maanpuolustuskoulutus", "Maanpuolustuskoulutus", "MPK", NGO),
    ("riku", "Rikosuhripäivystys", "RIKU", NGO),
    ("rovalan-setlementti", "Rovalan Setlementti ry", None, NGO),
    ("lappilaiset-kylat", "Lappilaiset kylät ry", None, NGO),
    ("spek", "Suomen pelastusalan keskusjärjestö ry", "SPEK", NGO),
    ("lapin-amk", "Lapin ammattikorkeakoulu", "Lapin AMK", ER),
    ("lapin-yliopisto", "Lapin yliopisto", None, ER),
]

Progress = Callable[[Iterable], Iterable]


def _no_progress(items: Iterable) -> Iterable:
    return items


def _upsert(model, slug: str, values: dict) -> bool:
    """Create or update by slug; True when a row was created."""
    row = db.session.scalar(sa.select(model).where(model.slug == slug))
    if row is None:
        db.session.add(model(slug=slug, **values))
        return True
    for key, value in values.items():
        setattr(row, key, value)
    return False


def seed_reference_data(progress: Progress = _no_progress) -> dict[str, int]:
    """Load municipalities and organisations; running it again changes nothing twice."""
    created = {"municipalities": 0, "organisations": 0}
    rows = [("m", m) for m in MUNICIPALITIES] + [("o", CHAIR)] + [("o", p) for p in PARTNERS]
    rows += [("employer", m) for m in MUNICIPALITIES]
    for kind, row in progress(rows):
        if kind == "m":
            slug, fi, sv, se, region, homeland, _employer = row
            values = dict(
                name_fi=fi, name_sv=sv, name_se=se, sub_region=region, sami_homeland=homeland
            )
            created["municipalities"] += _upsert(Municipality, slug, values)
        elif kind == "o":
            slug, name, short, category = row
            values = dict(
                name=name,
                short_name=short,
                category=category,
                is_partner=row is not CHAIR,
                is_chair=row is CHAIR,
            )
            created["organisations"] += _upsert(Organisation, slug, values)
        else:
            slug, *_rest, employer = row
            values = dict(
                name=employer,
                short_name=None,
                category=OrganisationCategory.MUNICIPALITY,
                is_partner=False,
                is_chair=False,
            )
            created["organisations"] += _upsert(Organisation, f"kunta-{slug}", values)
        db.session.flush()
    return created
