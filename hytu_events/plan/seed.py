"""The joint implementation plan 2020-2025 as seed data, and the tracker's starting point.

Sources: ../shared/DOMAIN.md (the Lapland welfare programme 2025, the regional safety plan
2020-2023 "Arjen turvaa Lapissa" and the seed presentation). Sotkanet indicator numbers are
left for the coordinators to fill in (back office or `plan import`), so no figure here is
invented.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..partners.models import Municipality, Organisation
from .models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    MunicipalPlanStatus,
    MunicipalPlanStatusChange,
    Plan,
)

PLAN_NAME = "Lapin hyvinvointiohjelman ja turvallisuussuunnitelman toimeenpanosuunnitelma"
PLAN_PERIOD = (2020, 2025)
W, S = FocusAreaKind.WELFARE_FOCUS_AREA, FocusAreaKind.SAFETY_THEME

#: The columns of each row below: code, kind, Finnish, Swedish, English.
FOCUS_AREA_FIELDS = ("code", "kind", "name_fi", "name_sv", "name_en")
FOCUS_AREAS = [
    ("W1", W, "Lapset", "Barn", "Children"),
    ("W2", W, "Nuoret", "Unga", "Young people"),
    (
        "W3",
        W,
        "Työikäisten arki",
        "Vardagen för personer i arbetsför ålder",
        "Working-age people's everyday life",
    ),
    ("W4", W, "Ikääntyneet", "Äldre", "Older people"),
    ("S1", S, "Liikkumisen turvallisuus", "Säker trafik och rörlighet", "Safety of mobility"),
    (
        "S2",
        S,
        "Turvallinen kasvu- ja oppimisympäristö",
        "Trygg uppväxt- och lärmiljö",
        "Safe environment to grow and learn",
    ),
    (
        "S3",
        S,
        "Nuorten huumeiden käytön ehkäisy",
        "Förebyggande av ungas droganvändning",
        "Preventing young people's drug use",
    ),
    (
        "S4",
        S,
        "Lasten, nuorten ja perheiden tukeminen",
        "Stöd till barn, unga och familjer",
        "Support for children, young people and families",
    ),
    ("S5", S, "Kylien turvallisuus", "Byarnas säkerhet", "Safety of villages"),
    ("S6", S, "Maahanmuuttajien tukeminen", "Stöd till invandrare", "Support for immigrants"),
]

#: The columns of each row below (target value None: the plan names no number).
INDICATOR_FIELDS = ("code", "name", "unit", "source", "direction", "target_value")
INDICATORS = [
    (
        "hytu-plans",
        "Kunnat, joilla on yhdistetty hyvinvointi- ja turvallisuussuunnitelma",
        "kuntaa",
        "HYTU-verkosto",
        IndicatorDirection.HIGHER_IS_BETTER,
        21.0,
    ),
    (
        "violent-crimes",
        "Poliisin tietoon tulleet henkeen ja terveyteen kohdistuneet rikokset",
        "/ 1 000 asukasta",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "traffic-injuries",
        "Tieliikenneonnettomuuksissa loukkaantuneet",
        "/ 100 000 asukasta",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "home-accidents",
        "Koti- ja vapaa-ajan tapaturmien vuoksi sairaalassa hoidetut",
        "/ 10 000 asukasta",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "drug-offences",
        "Poliisin tietoon tulleet huumausainerikokset",
        "/ 1 000 asukasta",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "children-in-care",
        "Kodin ulkopuolelle sijoitetut 0-17-vuotiaat",
        "% vastaavanikäisestä väestöstä",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "youth-outside-education",
        "Koulutuksen ulkopuolelle jääneet 17-24-vuotiaat",
        "% vastaavanikäisestä väestöstä",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
    (
        "living-alone-75",
        "Yksin asuvat 75 vuotta täyttäneet",
        "% asuntokunnista",
        "Sotkanet",
        IndicatorDirection.LOWER_IS_BETTER,
        None,
    ),
]

#: code: (name in Swedish, in English, unit in Swedish, in English) of the indicators above.
INDICATOR_TRANSLATIONS = {
    "hytu-plans": (
        "Kommuner med en kombinerad välfärds- och säkerhetsplan",
        "Municipalities with a combined welfare and safety plan",
        "kommuner",
        "municipalities",
    ),
    "violent-crimes": (
        "Brott mot liv och hälsa som kommit till polisens kännedom",
        "Crimes against life and health recorded by the police",
        "/ 1 000 invånare",
        "per 1,000 inhabitants",
    ),
    "traffic-injuries": (
        "Skadade i vägtrafikolyckor",
        "People injured in road traffic accidents",
        "/ 100 000 invånare",
        "per 100,000 inhabitants",
    ),
    "home-accidents": (
        "Sjukhusvårdade efter olycksfall i hemmet och på fritiden",
        "Hospital patients after home and leisure accidents",
        "/ 10 000 invånare",
        "per 10,000 inhabitants",
    ),
    "drug-offences": (
        "Narkotikabrott som kommit till polisens kännedom",
        "Drug offences recorded by the police",
        "/ 1 000 invånare",
        "per 1,000 inhabitants",
    ),
    "children-in-care": (
        "Placerade utom hemmet, 0–17 år",
        "Children aged 0-17 placed outside the home",
        "% av befolkningen i samma ålder",
        "% of the population of that age",
    ),
    "youth-outside-education": (
        "17–24-åringar utanför utbildning",
        "17-24-year-olds outside education",
        "% av befolkningen i samma ålder",
        "% of the population of that age",
    ),
    "living-alone-75": (
        "Ensamboende 75 år fyllda",
        "People aged 75 or over living alone",
        "% av hushållen",
        "% of households",
    ),
}
TRANSLATED_INDICATOR_FIELDS = ("name_sv", "name_en", "unit_sv", "unit_en")

ALL_W = ["W1", "W2", "W3", "W4"]

#: code, title, description, focus areas, responsible organisations, indicators,
#: target text, target number
MEASURES = [
    (
        "T1",
        "HYTU-klinikat kunnille",
        "Kunnan HYTU-työryhmä työstää yhdistettyä hyvinvointi- ja turvallisuussuunnitelmaa "
        "alueen asiantuntijoiden kanssa.",
        ALL_W,
        ["lapin-liitto", "lapin-avi"],
        ["hytu-plans"],
        "Kaikilla 21 kunnalla on yhdistetty HYTU-suunnitelma.",
        21.0,
    ),
    (
        "T2",
        "Kuntien työpajat seutukunnittain",
        "Seutukunnan kuntien yhteiset työpajat: yhteiset tavoitteet ja indikaattorit.",
        ALL_W,
        ["lapin-liitto", "lapin-avi", "lapin-hyvinvointialue"],
        ["hytu-plans"],
        "Työpaja jokaisessa kuudessa seutukunnassa vuosittain.",
        6.0,
    ),
    (
        "T3",
        "HYTU-virtuaalikahvit",
        "Lyhyet, säännölliset verkkotuokiot kuntien HYTE- ja turvallisuustoimijoille.",
        ALL_W,
        ["lapin-avi"],
        [],
        "Virtuaalikahvit vähintään kerran kuukaudessa.",
        10.0,
    ),
    (
        "T4",
        "Turvallisuussuunnitelman jalkauttaminen kuntiin",
        "Alueellisen turvallisuussuunnitelman teemat osaksi kuntien suunnitelmia ja arkea.",
        ["S1", "S2", "S3", "S4", "S5", "S6"],
        ["lapin-liitto", "lapin-pelastuslaitos", "lapin-poliisilaitos"],
        ["hytu-plans", "violent-crimes"],
        "Turvallisuussuunnitelman teemat näkyvät kaikkien kuntien suunnitelmissa.",
        21.0,
    ),
    (
        "T5",
        "Arjen turvan tiekartta",
        "Lapin AMK:n hanke: arjen turvallisuuden tiekartta kuntien käyttöön.",
        ["W3", "W4", "S5"],
        ["lapin-amk"],
        ["home-accidents", "living-alone-75"],
        "Tiekartta käytössä jokaisessa seutukunnassa.",
        None,
    ),
    (
        "T6",
        "Kylien turvallisuus",
        "Kyläturvallisuussuunnitelmat ja kylien valmiussuunnittelu.",
        ["W4", "S5"],
        ["lappilaiset-kylat", "spek", "lapin-pelastuslaitos"],
        ["home-accidents"],
        "Kyläturvallisuussuunnitelma kylissä kaikissa kunnissa.",
        None,
    ),
    (
        "T7",
        "Nuorten päihteiden käytön ehkäisy",
        "Ehkäisevä päihdetyö kouluissa ja nuorisotyössä yhdessä poliisin ja järjestöjen kanssa.",
        ["W2", "S2", "S3", "S4"],
        ["lapin-poliisilaitos", "lapin-sosterv"],
        ["drug-offences", "youth-outside-education", "children-in-care"],
        "Huumausainerikosten määrä kääntyy laskuun.",
        None,
    ),
    (
        "T8",
        "Liikkumisen turvallisuus",
        "Liikenneturvallisuustyö kunnissa: talviliikenne, pyöräily ja ikääntyneiden liikkuminen.",
        ["W4", "S1"],
        ["liikenneturva", "lapin-poliisilaitos"],
        ["traffic-injuries"],
        "Tieliikenteessä loukkaantuneiden määrä vähenee.",
        None,
    ),
]

#: code: (Swedish, English) titles of the measures above.
MEASURE_TITLES = {
    "T1": ("HYTU-kliniker för kommunerna", "HYTU clinics for the municipalities"),
    "T2": ("Kommunernas workshoppar per region", "Municipal workshops by sub-region"),
    "T3": ("HYTU:s virtuella kaffe", "HYTU virtual coffees"),
    "T4": ("Säkerhetsplanen ut i kommunerna", "Taking the safety plan into the municipalities"),
    "T5": ("Färdplan för vardagens trygghet", "Everyday safety roadmap"),
    "T6": ("Byarnas säkerhet", "Safety of villages"),
    "T7": ("Förebyggande av ungas missbruk", "Preventing young people's substance use"),
    "T8": ("Säker trafik och rörlighet", "Safety of mobility"),
}

#: The starting point: in 2020-2021 every municipality was preparing a combined plan.
STARTING_POINT = date(2021, 1, 1)
STARTING_SOURCE = "Kuntakysely 2020-2021 (Lapin liitto)"


def _fields(names: tuple[str, ...], row: tuple) -> dict:
    """A row of the seed data as the model's attributes, `names` saying which is which."""
    return dict(zip(names, row, strict=True))


def _plan() -> tuple[Plan, int]:
    plan = db.session.scalar(sa.select(Plan).where(Plan.name == PLAN_NAME))
    if plan is not None:
        return plan, 0
    plan = Plan(name=PLAN_NAME, start_year=PLAN_PERIOD[0], end_year=PLAN_PERIOD[1])
    db.session.add(plan)
    db.session.flush()
    return plan, 1


def seed_plan() -> dict[str, int]:
    """Add what is missing of the plan, its indicators and the tracker; returns counts added."""
    added = dict.fromkeys(["plans", "focus_areas", "indicators", "measures", "statuses"], 0)
    plan, added["plans"] = _plan()
    areas = {
        a.code: a
        for a in db.session.scalars(sa.select(FocusArea).where(FocusArea.plan_id == plan.id))
    }
    for position, row in enumerate(FOCUS_AREAS):
        if (code := row[0]) not in areas:
            areas[code] = FocusArea(plan=plan, position=position, **_fields(FOCUS_AREA_FIELDS, row))
            db.session.add(areas[code])
            added["focus_areas"] += 1
    indicators = {i.code: i for i in db.session.scalars(sa.select(Indicator))}
    for row in INDICATORS:
        code = row[0]
        translations = _fields(TRANSLATED_INDICATOR_FIELDS, INDICATOR_TRANSLATIONS[code])
        if code in indicators:
            # Translations added later reach databases seeded before; a coordinator's stay.
            for field, text in translations.items():
                setattr(indicators[code], field, getattr(indicators[code], field) or text)
        else:
            indicators[code] = Indicator(**_fields(INDICATOR_FIELDS, row), **translations)
            db.session.add(indicators[code])
            added["indicators"] += 1
    organisations = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    existing = {m.code: m for m in db.session.scalars(sa.select(Measure))}
    for code, title, text, area_codes, orgs, indicator_codes, target, number in MEASURES:
        if code in existing:
            # Titles added later reach databases seeded before; a coordinator's own stay.
            measure = existing[code]
            measure.title_sv = measure.title_sv or MEASURE_TITLES[code][0]
            measure.title_en = measure.title_en or MEASURE_TITLES[code][1]
            continue
        db.session.add(
            Measure(
                plan=plan,
                code=code,
                title=title,
                title_sv=MEASURE_TITLES[code][0],
                title_en=MEASURE_TITLES[code][1],
                description=text,
                start_year=PLAN_PERIOD[0],
                end_year=PLAN_PERIOD[1],
                target_text=target,
                target_number=number,
                focus_areas=[areas[c] for c in area_codes],
                organisations=[organisations[s] for s in orgs if s in organisations],
                indicators=[indicators[c] for c in indicator_codes],
            )
        )
        added["measures"] += 1
    db.session.flush()
    if (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.indicator_id == indicators["hytu-plans"].id)
        )
        == 0
    ):
        db.session.add(IndicatorValue(indicator=indicators["hytu-plans"], year=2020, value=0))
    added["statuses"] = _seed_tracker()
    db.session.flush()
    return added


def _seed_tracker() -> int:
    """Every municipality without a history starts 'in preparation'."""
    tracked = set(db.session.scalars(sa.select(MunicipalPlanStatusChange.municipality_id)))
    added = 0
    for municipality in db.session.scalars(sa.select(Municipality).order_by(Municipality.id)):
        if municipality.id in tracked:
            continue
        db.session.add(
            MunicipalPlanStatusChange(
                municipality_id=municipality.id,
                status=MunicipalPlanStatus.IN_PREPARATION,
                changed_on=STARTING_POINT,
                source_text=STARTING_SOURCE,
            )
        )
        added += 1
    return added
