/**
 * The platform every component stands on: configuration, the system database (embedded or
 * external PostgreSQL, its connection pool and its Flyway migrations, run before anything else
 * touches it), the JAX-RS application, health, the request's client identity, and the one
 * exception hierarchy that is written as {@code application/problem+json}.
 *
 * <p>Uses no other Cairn component; every other component may use it.
 */
package dev.cairn.platform;
