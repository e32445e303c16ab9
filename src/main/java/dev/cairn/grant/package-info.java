/**
 * Pangolin-style grants: roles (READ, READ_WRITE, ADMIN) given to a principal on a catalog, a
 * schema or an object-store namespace, stored as entries in the ERMrest and Hatrac ACLs that are
 * enforced (never a second permission system), listed by reading those ACLs back, and taken back
 * when they expire.
 *
 * <p>Uses {@code catalog} (its model, ACL editing and authorization), {@code store} (Hatrac ACLs)
 * and {@code platform}.
 */
package dev.cairn.grant;
