// The emulator's media host's TLS key and self-signed certificate, for 127.0.0.1
// and localhost. A test fixture like the noise test root: only processes that
// call installEmulatorTrust() accept it, and it guards nothing but local tests.
export const MEDIA_CERT = `-----BEGIN CERTIFICATE-----
MIIBsjCCAVmgAwIBAgIUC8RPhFpUFQxJwzBKRJ4gZ9vAQJEwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVd2FwbHVnIGVtdWxhdG9yIG1lZGlhMCAXDTI2MTEzMDE1MjUw
NFoYDzIxMjYxMTA2MTUyNTA0WjAgMR4wHAYDVQQDDBV3YXBsdWcgZW11bGF0b3Ig
bWVkaWEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASN12Qrd8W09Sq28Bi2iHp8
rgfO5s7m6CZnIg/WB6z+GlQFpqyJdyk5LyoyrBg5+lEVF5eANhdaIRLZ75pcNKWJ
o28wbTAdBgNVHQ4EFgQU3qQ9tOI3sss2gxgNK5qkXN1o+ZQwHwYDVR0jBBgwFoAU
3qQ9tOI3sss2gxgNK5qkXN1o+ZQwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgcCx+PrTG53+LTjF1
YGCI2v+CFxSe+IvYw0k4r3AO6xQCIDzQkevqR98XSiplxefj2QaFvhBJeTaesc/O
ZI+uLD+p
-----END CERTIFICATE-----
`

export const MEDIA_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWIyzjo1kBscU2AJc
XMJK59GYOBqkh0iM8O/D5smY5KuhRANCAASN12Qrd8W09Sq28Bi2iHp8rgfO5s7m
6CZnIg/WB6z+GlQFpqyJdyk5LyoyrBg5+lEVF5eANhdaIRLZ75pcNKWJ
-----END PRIVATE KEY-----
`
