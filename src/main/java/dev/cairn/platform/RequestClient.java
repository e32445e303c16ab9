package dev.cairn.platform;

/**
 * The client a request acts for, as recorded in ERMrest's {@code RCB} and {@code RMB} columns and
 * its {@code ERMrest_Client} table: {@code user:<name>} with its names and e-mail, or no id (null)
 * when anonymous. Boundaries take it from {@link Caller}.
 */
public record RequestClient(String id, String displayName, String fullName, String email) {

    public static final RequestClient ANONYMOUS = new RequestClient(null, null, null, null);
}
