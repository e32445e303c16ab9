/**
 * Pangolin-style grants: roles (READ, READ_WRITE, ADMIN) given to a principal on a catalog, a
 * schema, an object-store namespace, a namespace of registered assets or one registered asset, to
 * users and groups that exist (others only when marked pending), stored as entries in the
 * ERMrest and Hatrac ACLs and ACL bindings that are enforced (never a second permission system),
 * listed by reading them back, and taken back when they expire.
 *
 * <p>Uses {@code catalog} (its model, ACL editing and authorization), {@code store} (Hatrac ACLs)
 * and {@code platform}.
 */
package dev.cairn.grant;
