"""The code the scripted roles write in the FastAPI users example.

Each constant is the full text one role passes to `write_file`. They are plain
strings so nothing here is imported or collected by pytest in this repository; the
files only exist in the example's workspace, where the FastAPI developer's
`pytest` run proves they work together.
"""

PYTEST_INI = """\
[pytest]
testpaths = tests
pythonpath = .
"""

APP_INIT = '"""Users API: signup, login and the current user."""\n'

# Written by the FastAPI developer: routes, Pydantic models, Depends.
MAIN_PY = '''\
"""Users API: signup and login with FastAPI, SQLModel and bearer tokens."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.models import User, create_db_and_tables, get_session
from app.security import (
    InvalidToken,
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)

EMAIL_PATTERN = r"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    create_db_and_tables()
    yield


app = FastAPI(title="Users API", lifespan=lifespan)


class SignupRequest(BaseModel):
    """A new account."""

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    password: str = Field(min_length=8, max_length=128)


class LoginRequest(BaseModel):
    """Credentials for a token."""

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    password: str = Field(min_length=1, max_length=128)


class UserOut(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    email: str


class TokenOut(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: str = "bearer"


SessionDep = Annotated[Session, Depends(get_session)]
bearer = HTTPBearer(auto_error=False)
UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Invalid or missing credentials",
    headers={"WWW-Authenticate": "Bearer"},
)


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.lower())).first()


def current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None:
        raise UNAUTHORIZED
    try:
        email = decode_access_token(credentials.credentials)
    except InvalidToken:
        raise UNAUTHORIZED from None
    user = find_user(session, email)
    if user is None:
        raise UNAUTHORIZED
    return user


@app.post("/signup", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def signup(body: SignupRequest, session: SessionDep) -> User:
    if find_user(session, body.email) is not None:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Email already registered")
    user = User(email=body.email.lower(), hashed_password=hash_password(body.password))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


@app.post("/login", response_model=TokenOut)
def login(body: LoginRequest, session: SessionDep) -> TokenOut:
    user = find_user(session, body.email)
    if user is None or not verify_password(body.password, user.hashed_password):
        raise UNAUTHORIZED
    return TokenOut(access_token=create_access_token(user.email))


@app.get("/users/me", response_model=UserOut)
def read_me(user: Annotated[User, Depends(current_user)]) -> User:
    return user
'''

# Written by the database specialist: the SQLModel table and the session dependency.
MODELS_PY = '''\
"""Persistence for the users API: the SQLModel table, the engine and sessions."""

import os
from collections.abc import Iterator

from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Session, SQLModel, create_engine

DATABASE_URL = os.environ.get("USERS_DATABASE_URL", "sqlite://")


class User(SQLModel, table=True):
    """One account; the email is stored lower-case and is unique."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    hashed_password: str


def _engine_for(url: str):  # noqa: ANN202 - SQLAlchemy's Engine type
    if url.startswith("sqlite"):
        # One in-memory database shared by every thread (TestClient runs the app in one).
        return create_engine(
            url, connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
    return create_engine(url, pool_pre_ping=True)


engine = _engine_for(DATABASE_URL)


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
'''

# Written by the security specialist: password hashing and HMAC-SHA256 JWTs, stdlib only.
SECURITY_PY = '''\
"""Password hashing (PBKDF2-HMAC-SHA256) and HS256 JSON Web Tokens, standard library only."""

import base64
import hashlib
import hmac
import json
import os
import secrets
import time

SECRET_KEY = os.environ.get("USERS_SECRET_KEY") or secrets.token_urlsafe(32)
TOKEN_TTL_SECONDS = 3600
PBKDF2_ITERATIONS = 120_000
_SCHEME = "pbkdf2_sha256"


class InvalidToken(Exception):
    """A token that is malformed, forged or expired."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    return f"{_SCHEME}${PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
        rounds = int(iterations)
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds)
    return hmac.compare_digest(digest.hex(), digest_hex)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input: str) -> bytes:
    return hmac.new(SECRET_KEY.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()


def _encode_part(part: dict) -> str:
    return _b64encode(json.dumps(part, separators=(",", ":")).encode())


def create_access_token(
    subject: str, *, ttl: int = TOKEN_TTL_SECONDS, now: float | None = None
) -> str:
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": subject, "iat": issued, "exp": issued + ttl}
    signing_input = f"{_encode_part(header)}.{_encode_part(claims)}"
    return f"{signing_input}.{_b64encode(_sign(signing_input))}"


def decode_access_token(token: str, *, now: float | None = None) -> str:
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        signature = _b64decode(signature_b64)
        header = json.loads(_b64decode(header_b64))
        claims = json.loads(_b64decode(claims_b64))
    except ValueError as exc:
        raise InvalidToken("malformed token") from exc
    if not hmac.compare_digest(signature, _sign(f"{header_b64}.{claims_b64}")):
        raise InvalidToken("bad signature")
    if header.get("alg") != "HS256":
        raise InvalidToken("unexpected algorithm")
    current = time.time() if now is None else now
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= current:
        raise InvalidToken("expired")
    subject = claims.get("sub")
    if not isinstance(subject, str):
        raise InvalidToken("no subject")
    return subject
'''

# Written by the FastAPI developer after integrating both specialists' work.
TEST_API_PY = '''\
"""The users API end to end through FastAPI's TestClient."""

import pytest
from fastapi.testclient import TestClient

from app.main import app
from app.security import InvalidToken, create_access_token, decode_access_token


@pytest.fixture
def client():
    with TestClient(app) as test_client:
        yield test_client


def signup(client, email="ada@example.com", password="correct horse"):
    return client.post("/signup", json={"email": email, "password": password})


def test_signup_returns_the_user_without_the_password(client):
    response = signup(client, email="Grace@Example.com")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "grace@example.com"
    assert set(body) == {"id", "email"}


def test_signup_twice_is_a_conflict(client):
    signup(client, email="twice@example.com")
    assert signup(client, email="twice@example.com").status_code == 409


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "long enough"},
        {"email": "short@example.com", "password": "short"},
        {"email": "missing@example.com"},
    ],
)
def test_invalid_signups_are_rejected(client, payload):
    assert client.post("/signup", json=payload).status_code == 422


def test_login_then_read_me(client):
    signup(client, email="lin@example.com", password="s3cret-pass")
    login = client.post("/login", json={"email": "lin@example.com", "password": "s3cret-pass"})
    assert login.status_code == 200
    token = login.json()["access_token"]
    assert login.json()["token_type"] == "bearer"
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "lin@example.com"


def test_wrong_password_and_unknown_user_are_401(client):
    signup(client, email="eve@example.com", password="right-password")
    wrong = client.post("/login", json={"email": "eve@example.com", "password": "wrong-password"})
    assert wrong.status_code == 401
    unknown = client.post("/login", json={"email": "nobody@example.com", "password": "whatever1"})
    assert unknown.status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer not.a.token", "Bearer "])
def test_me_needs_a_valid_token(client, header):
    headers = {"Authorization": header} if header else {}
    assert client.get("/users/me", headers=headers).status_code == 401


def test_tampered_and_expired_tokens_are_refused():
    token = create_access_token("mallory@example.com")
    header, claims, signature = token.split(".")
    forged = create_access_token("admin@example.com").split(".")[1]
    with pytest.raises(InvalidToken):
        decode_access_token(f"{header}.{forged}.{signature}")
    expired = create_access_token("old@example.com", ttl=10, now=1_000)
    with pytest.raises(InvalidToken):
        decode_access_token(expired, now=2_000)
    assert decode_access_token(token) == "mallory@example.com"
'''
