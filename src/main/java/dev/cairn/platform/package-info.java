/**
 * The platform every component stands on: configuration, the system database (embedded or
 * external PostgreSQL, its connection pool and its Flyway migrations, run before anything else
 * touches it), the JAX-RS application, health, the request's client identity, the one exception
 * hierarchy that is written as {@code application/problem+json}, and the checks every request
 * passes through whatever its resource: query parameters ({@link dev.cairn.platform.QueryParameters}),
 * header syntax ({@link dev.cairn.platform.HeaderSyntax}), multipart forms read as they arrive
 * ({@link dev.cairn.platform.FormParts}) and JSON bodies ({@link dev.cairn.platform.JsonBodies},
 * {@link dev.cairn.platform.StrictJson}); hand-written SQL: quoted identifiers and bound statements
 * ({@link dev.cairn.platform.SqlIdentifiers}, {@link dev.cairn.platform.Jdbc}); the request log and
 * the route each request took
 * ({@link dev.cairn.platform.RequestLog}, {@link dev.cairn.platform.Routes}) and this node's meters
 * ({@link dev.cairn.platform.Metrics}). With several nodes on one database: leases, so that one
 * node at a time does a piece of work ({@link dev.cairn.platform.Leases}), and broadcasts, so that
 * every node drops what it remembers of a change another node made ({@link dev.cairn.platform.Broadcasts}).
 * Below the application, in Payara's own HTTP layer: the paths a request may have
 * ({@link dev.cairn.platform.EscapeGuard}, with {@link dev.cairn.platform.RawPathFilter}) and the
 * log records a client that leaves early may cause ({@link dev.cairn.platform.ClientAborts}).
 *
 * <p>Uses no other Cairn component; every other component may use it. It alone touches Payara's
 * internals (Grizzly, by reflection from {@code EscapeGuard.install}).
 */
package dev.cairn.platform;
