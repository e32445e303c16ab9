/**
 * Identity, authentication and the audit log: users and groups (managed by administrators),
 * personal API tokens, webauthn-style login sessions, the first-start administrator, the filter
 * that authenticates every request once into the request's {@link dev.cairn.platform.Caller}, and
 * the hash-chained, append-only audit log every write and refusal is appended to.
 *
 * <p>Uses only {@code dev.cairn.platform}. Authorization itself lives with what it protects:
 * ERMrest's ACLs in {@code dev.cairn.catalog}, Hatrac's in {@code dev.cairn.store}; both read the
 * caller from {@link dev.cairn.platform.Caller}.
 */
package dev.cairn.security;
