"""Reviewers' accounts: names and argon2 password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from fazhi_audit.desk.models import User
from fazhi_audit.desk.services import log
from fazhi_audit.desk.store import Store, StoreError

MIN_PASSWORD = 8
_hasher = PasswordHasher()
# verified against when the name is unknown, so that a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash("fazhi-audit-no-such-user")


def add_user(store: Store, name: str, password: str, by: str | None = None) -> None:
    name = name.strip()
    if not name or len(name) > 100 or any(not ch.isprintable() for ch in name):
        raise StoreError("用户名须为 1–100 个可见字符")
    if len(password) < MIN_PASSWORD:
        raise StoreError(f"密码至少 {MIN_PASSWORD} 个字符：请换一个更长的密码")
    with store.session() as session:
        if session.scalar(select(User).where(User.name == name)) is not None:
            raise StoreError(f"用户 {name} 已存在：请换一个用户名")
        session.add(User(name=name, password_hash=_hasher.hash(password)))
        log.record(session, by, "user.add", name)


def user_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count(User.id))) or 0


def verify(store: Store, name: str, password: str) -> bool:
    with store.session() as session:
        user = session.scalar(select(User).where(User.name == name))
        stored = user.password_hash if user else _DUMMY
    try:
        ok = _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and user is not None
