"""Base model pieces shared by every domain module."""
import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class TitledEnum(enum.Enum):
    """An enum whose members carry a display title (a lazy gettext string).

    Members are declared as ``NAME = ("value", _l("Title"))``; the stored value is
    the short string, the title is what a user reads.
    """

    def __new__(cls, value, title=None):
        obj = object.__new__(cls)
        obj._value_ = value
        obj.title = title if title is not None else value
        return obj

    def __str__(self):
        return str(self.title)

    @classmethod
    def choices(cls, members=None):
        """(value, title) pairs, for a form's ``choice_list``."""
        return [(m.value, m.title) for m in (members or cls)]

    @classmethod
    def coerce(cls, value):
        if isinstance(value, cls) or value is None or value == "":
            return value or None
        return cls(value)


def enum_column(enum_cls, **kwargs):
    """A String-backed enum column with a CHECK constraint (portable across databases).

    Pass ``name`` when a table has two columns of the same enum: it names the CHECK constraint.
    """
    length = max(len(m.value) for m in enum_cls)
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(length, 16),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        name=kwargs.pop("name", enum_cls.__name__.lower()),
        **kwargs,
    )


class TimestampMixin:
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    updated_dt: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=sa.func.now())
