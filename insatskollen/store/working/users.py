"""Who may do what: the role table, and the signed-in subjects the logs have seen with an e-mail."""

from __future__ import annotations

import unicodedata

import pandas as pd
from sqlalchemy import delete, func, insert, select

from insatskollen.store.working.base import StoreBase, utc_now
from insatskollen.store.working.tables import import_log, scenario_log, users


class Users(StoreBase):
    def set_user_role(self, principal: str, role: str, added_by: str) -> None:
        """Give a subject or e-mail a role (replacing the role it had)."""
        key = principal.strip().lower() if "@" in principal else principal.strip()
        with self._write() as conn:
            conn.execute(delete(users).where(users.c.principal == key))
            conn.execute(
                insert(users).values(principal=key, role=role, added_by=added_by, added_at=utc_now())
            )

    def remove_user(self, principal: str) -> bool:
        key = principal.strip().lower() if "@" in principal else principal.strip()
        with self._write() as conn:
            return conn.execute(delete(users).where(users.c.principal == key)).rowcount > 0

    def user_roles(self) -> pd.DataFrame:
        c = users.c
        with self._read() as conn:
            rows = conn.execute(
                select(c.principal, c.role, c.added_by, c.added_at).order_by(c.principal)
            ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["principal", "role", "added_by", "added_at"])

    def roles_of(self, subject: str | None, email: str | None) -> tuple[str | None, str | None]:
        """The role table's rows for a subject and for an e-mail (in any case): (role by subject, role by
        e-mail), None where not listed. Whether an e-mail's row counts is auth.table_role's to say."""
        email = unicodedata.normalize("NFC", (email or "").strip().lower()) or None
        found: list[str | None] = []
        with self._read() as conn:
            for key in (subject, email):
                role = (
                    conn.execute(select(users.c.role).where(users.c.principal == key)).scalar()
                    if key
                    else None
                )
                found.append(role or None)
        return found[0], found[1]

    def subjects_with_email(self, email: str) -> list[str]:
        """The signed-in subjects the logs have seen with this e-mail (in any case)."""
        found: set[str] = set()
        with self._read() as conn:
            for log in (scenario_log, import_log):
                found.update(
                    conn.execute(
                        select(log.c.subject)
                        .where(
                            func.lower(log.c.email) == email.strip().lower(), log.c.identity_kind == "oidc"
                        )
                        .distinct()
                    ).scalars()
                )
        return sorted(s for s in found if s)
