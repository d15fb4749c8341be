"""minisign keys and signatures (https://jedisct1.github.io/minisign/), in pure Python.

Verification accepts both the legacy `Ed` (signs the raw bytes) and the prehashed `ED` (signs
BLAKE2b-512 of the bytes) algorithms; signing uses `ED`, as `minisign -S` does by default.
Secret keys are read and written unencrypted (kdf "\\0\\0", as `minisign -G -W` writes them), for
automated publishing. Keys and signatures interoperate with the real `minisign` tool.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from briefing.core.errors import BriefingError

UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "
ALG_LEGACY = b"Ed"
ALG_HASHED = b"ED"
KDF_NONE = b"\0\0"
CHK_ALG = b"B2"
MAX_SIG_FILE = 4096


class SignatureError(BriefingError):
    """A key or signature is malformed, unknown or does not verify."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes  # 8 bytes, as stored (little-endian); shown reversed in hex like minisign does
    key: bytes  # 32-byte Ed25519 public key

    @property
    def id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()

    def to_text(self) -> str:
        """The `.pub` file content."""
        line = base64.b64encode(ALG_LEGACY + self.key_id + self.key).decode()
        return f"{UNTRUSTED}minisign public key {self.id_hex}\n{line}\n"


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes  # 32-byte Ed25519 seed; libsodium's 64-byte secret key is seed || public key

    def public(self) -> PublicKey:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # keygen only: ~20 ms

        pub = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return PublicKey(self.key_id, pub.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def to_text(self) -> str:
        """The secret key file content, unencrypted (as `minisign -G -W` writes it)."""
        sk = self.seed + self.public().key
        chk = hashlib.blake2b(ALG_LEGACY + self.key_id + sk, digest_size=32).digest()
        blob = ALG_LEGACY + KDF_NONE + CHK_ALG + b"\0" * 32 + b"\0" * 8 + b"\0" * 8 + self.key_id + sk + chk
        return f"{UNTRUSTED}minisign encrypted secret key\n{base64.b64encode(blob).decode()}\n"


def _b64(line: str, what: str) -> bytes:
    try:
        return base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not valid base64") from None


def _key_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and lines[0].startswith(UNTRUSTED):
        lines = lines[1:]
    if not lines:
        raise SignatureError("empty key")
    return lines[0]


#: A key file is two short lines; reading stops past this (so /dev/zero or a huge file cannot hang us).
MAX_KEY_FILE = 4096


def _read_key_file(path: str | os.PathLike[str], what: str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise SignatureError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_KEY_FILE:
        raise SignatureError(f"{what} {path} is not a minisign key file (larger than {MAX_KEY_FILE:,} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureError(f"{what} {path} is not a minisign key file (not UTF-8 text)") from None


def parse_public_key(text: str) -> PublicKey:
    """A public key from a `.pub` file's text or a bare base64 line (`minisign -P` form)."""
    raw = _b64(_key_line(text), "public key")
    if len(raw) != 42 or raw[:2] != ALG_LEGACY:
        raise SignatureError("not a minisign Ed25519 public key")
    return PublicKey(raw[2:10], raw[10:42])


def load_public_key(path: str | os.PathLike[str]) -> PublicKey:
    return parse_public_key(_read_key_file(path, "public key"))


def parse_secret_key(text: str) -> SecretKey:
    """An unencrypted minisign secret key; an encrypted one is refused with a hint."""
    raw = _b64(_key_line(text), "secret key")
    if len(raw) != 158 or raw[:2] != ALG_LEGACY or raw[4:6] != CHK_ALG:
        raise SignatureError("not a minisign Ed25519 secret key")
    if raw[2:4] != KDF_NONE:
        raise SignatureError("the secret key is password-protected; remove the password with `minisign -C -W`")
    key_id, sk, chk = raw[54:62], raw[62:126], raw[126:158]
    # minisign 0.11 leaves the checksum zeroed in unencrypted keys; a non-zero one must match.
    if chk != b"\0" * 32 and hashlib.blake2b(ALG_LEGACY + key_id + sk, digest_size=32).digest() != chk:
        raise SignatureError("the secret key fails its checksum")
    secret = SecretKey(key_id, sk[:32])
    if secret.public().key != sk[32:]:
        raise SignatureError("the secret key's public half does not match")
    return secret


def load_secret_key(path: str | os.PathLike[str]) -> SecretKey:
    return parse_secret_key(_read_key_file(path, "secret key"))


def keygen() -> SecretKey:
    """A fresh key pair (random seed and key id)."""
    return SecretKey(os.urandom(8), os.urandom(32))


def sign(data: bytes, secret: SecretKey, trusted_comment: str, *, prehash: bool = True) -> str:
    """The `.minisig` file content for `data` (ED by default, legacy Ed with prehash=False)."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("a trusted comment must be one line")
    priv = Ed25519PrivateKey.from_private_bytes(secret.seed)
    alg = ALG_HASHED if prehash else ALG_LEGACY
    message = digest(data) if prehash else data
    sig = priv.sign(message)
    global_sig = priv.sign(sig + trusted_comment.encode("utf-8"))
    return (
        f"{UNTRUSTED}signature from minisign secret key\n"
        f"{base64.b64encode(alg + secret.key_id + sig).decode()}\n"
        f"{TRUSTED}{trusted_comment}\n"
        f"{base64.b64encode(global_sig).decode()}\n"
    )


def digest(data: bytes) -> bytes:
    """BLAKE2b-512 of `data`: what a (default, prehashed) minisign signature signs."""
    return hashlib.blake2b(data, digest_size=64).digest()


def verify(data: bytes, signature: bytes | str, keys: list[PublicKey], *, prehashed: bytes | None = None) -> str:
    """Check `data` against a `.minisig` with any of `keys`; return the (authenticated) trusted comment.

    `prehashed`: `digest(data)`, when the caller has it already (a sync keeps it as the feed's
    content digest, so 50 MB are hashed once). Raises SignatureError with a one-line reason:
    malformed signature, unknown key, bad signature.
    """
    if isinstance(signature, bytes):
        if len(signature) > MAX_SIG_FILE:
            raise SignatureError("the signature file is too large")
        try:
            signature = signature.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("the signature file is not text") from None
    lines = signature.splitlines()
    if len(lines) < 4 or not lines[0].startswith(UNTRUSTED) or not lines[2].startswith(TRUSTED):
        raise SignatureError("the signature file is not in minisign format")
    raw = _b64(lines[1], "signature")
    if len(raw) != 74 or raw[:2] not in (ALG_LEGACY, ALG_HASHED):
        raise SignatureError("unsupported signature algorithm")
    alg, key_id, sig = raw[:2], raw[2:10], raw[10:]
    trusted = lines[2][len(TRUSTED) :]
    global_sig = _b64(lines[3], "global signature")
    matching = [k for k in keys if k.key_id == key_id]
    if not matching:
        raise SignatureError(f"signed by an unknown key {key_id[::-1].hex().upper()}")
    message = (prehashed if prehashed is not None else digest(data)) if alg == ALG_HASHED else data
    for key in matching:
        pub = Ed25519PublicKey.from_public_bytes(key.key)
        try:
            pub.verify(sig, message)
            pub.verify(global_sig, sig + trusted.encode("utf-8"))
        except InvalidSignature:
            continue
        return trusted
    raise SignatureError("bad signature: the file or its trusted comment does not match the signature")
