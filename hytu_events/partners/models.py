"""Municipalities and organisations: the reference data every registration points at."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..db.constraints import not_empty
from ..db.labels import LabelledEnum
from ..db.tables import LinkKey
from ..db.types import IntPK, Name, enum_column
from ..extensions import db

#: A municipality's or an organisation's key in the tables that link other rows to it (events,
#: measures): neither can be deleted while something is linked to it.
MUNICIPALITY_KEY = LinkKey("municipality_id", "municipalities", "RESTRICT")
ORGANISATION_KEY = LinkKey("organisation_id", "organisations", "RESTRICT")


class SubRegion(LabelledEnum):
    """Lapland's six sub-regions (seutukunnat); workshops are often held per sub-region."""

    EASTERN_LAPLAND = "ita-lappi", _l("Eastern Lapland")
    KEMI_TORNIO = "kemi-tornio", _l("Kemi-Tornio")
    NORTHERN_LAPLAND = "pohjois-lappi", _l("Northern Lapland")
    ROVANIEMI = "rovaniemi", _l("Rovaniemi region")
    TORNE_VALLEY = "torniolaakso", _l("Torne Valley")
    FELL_LAPLAND = "tunturi-lappi", _l("Fell Lapland")


class OrganisationCategory(LabelledEnum):
    AUTHORITY = "authority", _l("Authorities")
    NGO = "ngo", _l("NGOs")
    EDUCATION_RESEARCH = "education_research", _l("Education and research")
    MUNICIPALITY = "municipality", _l("Municipalities")
    OTHER = "other", _l("Other")


class Municipality(db.Model):
    """One of the 21 municipalities of Lapland."""

    __tablename__ = "municipalities"

    id: Mapped[IntPK]
    #: URL-safe Finnish name, used in filters and feed URLs (`?municipality=inari`).
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: Official Finnish name.
    name_fi: Mapped[str] = mapped_column(sa.String(80), unique=True)
    #: Official Swedish name where one exists (Torneå, Enare ...).
    name_sv: Mapped[str | None] = mapped_column(sa.String(80))
    #: Northern Sámi name where one exists (Anár, Ohcejohka ...).
    name_se: Mapped[str | None] = mapped_column(sa.String(80))
    sub_region: Mapped[SubRegion] = mapped_column(enum_column(SubRegion, "sub_region"))
    #: Inside the Sámi homeland, where the Sámi Language Act binds the municipality.
    sami_homeland: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (not_empty("slug"),)

    def name_in(self, language: str) -> str:
        """The name a reader of `language` expects; Finnish when there is no other."""
        if language == "sv" and self.name_sv:
            return self.name_sv
        if language == "se" and self.name_se:
            return self.name_se
        return self.name_fi

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"


class Organisation(db.Model):
    """An organisation people register from; the safety network's partners are flagged."""

    __tablename__ = "organisations"

    id: Mapped[IntPK]
    #: Stable key for seeding, so `flask seed` can run again without duplicating.
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[Name] = mapped_column(unique=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(40))
    category: Mapped[OrganisationCategory] = mapped_column(
        enum_column(OrganisationCategory, "organisation_category")
    )
    #: One of the 16 partner organisations of the Lapland safety network.
    is_partner: Mapped[bool] = mapped_column(default=False)
    #: Chairs the network (Lapin liitto); not counted among the 16 partners.
    is_chair: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        sa.CheckConstraint("NOT (is_partner AND is_chair)", name="chair_is_not_partner"),
        not_empty("name"),
    )

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
