"""Accounts of the web application: roles, password hashes, sign-ins, and who may listen beyond this
machine. The store's side only: the CLI (`planner users`) and the pages (`account_pages`) call these.

Passwords are hashed with scrypt (standard library) and a random salt per account; a sign-in is a
random token kept by the browser in a cookie, of which the store keeps only the SHA-256.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.io.errors import InputError, Problem
from planner.web.db import SIGNED_IN, Account, SignIn, audit, make_engine, migrate, sessions, utc_now

log = logging.getLogger(__name__)

#: Roles, each allowed what the ones before it are: clerks do the daily work (rosters, scenarios,
#: plans, decisions, attendance, sweeps, comparisons), approvers also approve a year's lists,
#: administrators also manage the accounts.
CLERK, APPROVER, ADMIN = "clerk", "approver", "admin"
ROLES = (CLERK, APPROVER, ADMIN)
ROLE_WORDS = {CLERK: "chuyên viên", APPROVER: "người phê duyệt", ADMIN: "quản trị"}
#: Addresses that only this machine reaches: listening there needs no account.
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_NAME = 60
LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
#: How long a sign-in lasts (a working day and then some); the browser forgets it when closed.
SIGN_IN_HOURS = 12
#: scrypt's cost (2**14, 16 MiB of memory a hash), block size and parallelism.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def allows(role: str, needed: str) -> bool:
    """Whether `role` may do what `needed` may."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def role_words(role: str) -> tuple[str, str]:
    """The role in Vietnamese and in English."""
    return ROLE_WORDS[role], role


def _refuse(source: str, vi: str, en: str) -> InputError:
    return InputError(source, [Problem(vi, en)])


# --- passwords ---------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash`, salt and hash in base64; a new random salt each time."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, digest))
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was hashed from (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        log.warning("an account's password hash is not one this version reads")
        return False
    return scheme == "scrypt" and hmac.compare_digest(found, expected)


def checked_password(password: str) -> str:
    """The password, if long enough and not too long (`InputError` otherwise)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise _refuse(
            "password",
            f"mật khẩu phải dài {MIN_PASSWORD} đến {MAX_PASSWORD} ký tự",
            f"the password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long",
        )
    return password


# --- accounts ----------------------------------------------------------------------------------


def login_name(text: str) -> str:
    """A login as typed, in lower case; `InputError` unless letters, digits and . _ - (1 to 32)."""
    login = text.strip().lower()
    if not LOGIN_PATTERN.fullmatch(login):
        raise _refuse(
            "login",
            f"tên đăng nhập không hợp lệ: {text!r} (1 đến 32 ký tự: chữ không dấu, số, . _ -)",
            f"not a valid login: {text!r} (1 to 32 characters: letters without accents, digits, . _ -)",
        )
    return login


def _role(role: str) -> str:
    if role not in ROLES:
        raise _refuse(
            "role",
            f"vai trò không hợp lệ: {role!r} (một trong {', '.join(ROLES)})",
            f"not a role: {role!r} (one of {', '.join(ROLES)})",
        )
    return role


def _display_name(name: str, login: str) -> str:
    name = " ".join(name.split()) or login
    if len(name) > MAX_NAME:
        raise _refuse(
            "name",
            f"họ tên dài quá {MAX_NAME} ký tự",
            f"the name is longer than {MAX_NAME} characters",
        )
    return name


def find_account(session: Session, login: str) -> Account | None:
    """The account with this login (any case), or None."""
    return session.scalars(select(Account).where(Account.login == login.strip().lower())).first()


def account(session: Session, login: str) -> Account:
    """The account with this login; `InputError` when there is none."""
    found = find_account(session, login)
    if found is None:
        raise _refuse(
            "login",
            f"không có tài khoản {login!r}",
            f"there is no account {login!r}",
        )
    return found


def add_account(session: Session, login: str, name: str, role: str, password: str) -> Account:
    """A new account (committed); `InputError` for a taken login or a refused value."""
    login = login_name(login)
    if find_account(session, login) is not None:
        raise _refuse("login", f"tên đăng nhập {login!r} đã có", f"the login {login!r} is taken")
    new = Account(
        login=login,
        name=_display_name(name, login),
        role=_role(role),
        password_hash=hash_password(checked_password(password)),
    )
    session.add(new)
    session.flush()
    audit(session, "account.add", f"{new.login} ({new.role})")
    session.commit()
    return new


def _keep_an_admin(session: Session, changed: Account) -> None:
    """Refuse to leave no active administrator (nobody could manage the accounts from the pages)."""
    others = session.scalars(
        select(Account.id).where(Account.role == ADMIN, Account.disabled.is_(False), Account.id != changed.id)
    ).first()
    if others is None:
        raise _refuse(
            changed.login,
            "đây là tài khoản quản trị cuối cùng còn hoạt động: thêm một tài khoản quản trị khác trước",
            "this is the last active admin account: add another admin first",
        )


def set_role(session: Session, changed: Account, role: str) -> None:
    """Give the account another role (committed); its sign-ins stay."""
    role = _role(role)
    if changed.role == ADMIN and role != ADMIN and not changed.disabled:
        _keep_an_admin(session, changed)
    changed.role = role
    audit(session, "account.role", f"{changed.login}: {role}")
    session.commit()


def set_disabled(session: Session, changed: Account, disabled: bool, keep_admin: bool = True) -> None:
    """Disable the account (its sign-ins end) or enable it again (committed). `keep_admin`: refuse
    to disable the last active administrator (the pages; the CLI may)."""
    if disabled and keep_admin and changed.role == ADMIN and not changed.disabled:
        _keep_an_admin(session, changed)
    changed.disabled = disabled
    if disabled:
        _end_sign_ins(session, changed)
    audit(session, "account.disable" if disabled else "account.enable", changed.login)
    session.commit()


def set_password(session: Session, changed: Account, password: str) -> None:
    """A new password for the account (committed); its sign-ins end."""
    changed.password_hash = hash_password(checked_password(password))
    _end_sign_ins(session, changed)
    audit(session, "account.password", changed.login)
    session.commit()


def accounts_exist(session: Session) -> bool:
    """Whether any account exists (disabled ones too): then every page needs a sign-in."""
    return session.scalars(select(Account.id).limit(1)).first() is not None


def active_admins(session: Session) -> int:
    """How many administrators can sign in."""
    return len(
        session.scalars(select(Account.id).where(Account.role == ADMIN, Account.disabled.is_(False))).all()
    )


# --- sign-ins ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """The account a browser is signed in to, and the token its forms must send back."""

    account: Account
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def authenticate(session: Session, login: str, password: str) -> Account | None:
    """The active account with this login and password, or None (the same for every cause)."""
    found = find_account(session, login)
    if found is None or found.disabled:
        hash_password(password)  # as long as a real check: the time does not say which logins exist
        return None
    return found if verify_password(password, found.password_hash) else None


def sign_in(session: Session, signed: Account, previous: str = "") -> str:
    """A new sign-in to the account (committed), ending the browser's `previous` one and any that
    expired; the token for the browser's cookie."""
    now = utc_now()
    session.execute(
        delete(SignIn).where((SignIn.expires_at <= now) | (SignIn.token_sha256 == _digest(previous)))
    )
    token = secrets.token_urlsafe(32)
    session.add(
        SignIn(
            token_sha256=_digest(token),
            account_id=signed.id,
            csrf_token=secrets.token_hex(32),
            expires_at=now + dt.timedelta(hours=SIGN_IN_HOURS),
        )
    )
    who = SIGNED_IN.set(signed.signature)  # by the account signing in, not the one it replaces
    try:
        audit(session, "account.sign_in", signed.login)
        session.commit()
    finally:
        SIGNED_IN.reset(who)
    return token


def visit(session: Session, token: str) -> Visit | None:
    """Who the cookie's token is signed in to, if the sign-in is current and the account active."""
    if not token:
        return None
    found = session.execute(
        select(Account, SignIn.csrf_token)
        .join(SignIn, SignIn.account_id == Account.id)
        .where(
            SignIn.token_sha256 == _digest(token), SignIn.expires_at > utc_now(), Account.disabled.is_(False)
        )
    ).first()
    return None if found is None else Visit(found[0], found[1])


def sign_out(session: Session, token: str) -> None:
    """End this sign-in (committed)."""
    session.execute(delete(SignIn).where(SignIn.token_sha256 == _digest(token)))
    session.commit()


def _end_sign_ins(session: Session, ended: Account) -> None:
    session.execute(delete(SignIn).where(SignIn.account_id == ended.id))


# --- listening beyond this machine -----------------------------------------------------------


def host_refusal(url: str, host: str) -> tuple[str, str] | None:
    """Why the server may not listen on `host` with the database at `url` (Vietnamese, English), or
    None: any address but this machine's needs an active administrator account (personal data)."""
    if host in LOOPBACK:
        return None
    migrate(url)
    engine = make_engine(url)
    try:
        with sessions(engine)() as session:
            admins = active_admins(session)
    finally:
        engine.dispose()
    if admins:
        return None
    return (
        f"chỉ nghe trên máy này ({', '.join(LOOPBACK)}) khi chưa có tài khoản quản trị: mở cho máy khác "
        "cần tài khoản người dùng (dữ liệu cá nhân, Nghị định 13/2023/NĐ-CP); tạo tài khoản đầu tiên "
        "bằng `planner users add TÊN --role admin`",
        f"only this machine can be listened on ({', '.join(LOOPBACK)}) while there is no admin account: "
        "other addresses need user accounts (personal data, Decree 13/2023/ND-CP); add the first one "
        "with `planner users add NAME --role admin`",
    )
