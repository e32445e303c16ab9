package dev.cairn.execution.control;

import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one state machine of an execution, which status changes, staging and commits all follow:
 * Created, then Running, then Stopped or Failed (Aborted from Created or Running); outputs are
 * staged while it runs or has ended, until a commit begins; a commit moves an ended execution to
 * Pending_Upload and then Uploaded, and only a commit sets those two. {@link Executions} and
 * {@link OutputCommits} read and lock the status through this class.
 */
public final class ExecutionStates {

    /** The statuses a client may move an execution to from each status (repeating one updates its detail). */
    private static final Map<String, Set<String>> NEXT = Map.of(
            "Created", Set.of("Created", "Running", "Failed", "Aborted"),
            "Running", Set.of("Running", "Stopped", "Failed", "Aborted"),
            "Stopped", Set.of("Stopped"),
            "Failed", Set.of("Failed"),
            "Aborted", Set.of("Aborted"),
            "Pending_Upload", Set.of(),
            "Uploaded", Set.of());
    /** Where outputs may be staged: once the execution runs, until its commit begins. */
    public static final Set<String> STAGEABLE = Set.of("Running", "Stopped", "Failed");
    /** Where a commit may begin: once the execution has ended (Pending_Upload resumes one). */
    public static final Set<String> COMMITTABLE = Set.of("Stopped", "Failed", "Pending_Upload");

    private ExecutionStates() {}

    /** Whether DerivaML has this status. */
    static boolean known(String status) {
        return NEXT.containsKey(status);
    }

    /** Whether a client may move an execution from {@code current} to {@code next}. */
    public static boolean allowed(String current, String next) {
        return NEXT.getOrDefault(current, Set.of()).contains(next);
    }

    /** Refuses (409 {@code execution-state}) a move the state machine does not allow a client. */
    static void requireMove(String execution, String current, String next) {
        if (!allowed(current, next)) {
            throw new CairnException.Conflict(
                    ErrorCode.EXECUTION_STATE,
                    "Execution " + execution + " is " + current + "; it cannot become " + next
                            + (Set.of("Pending_Upload", "Uploaded").contains(next)
                                    ? " (the commit sets that status)"
                                    : "")
                            + ".");
        }
    }

    /** The execution's status, its row locked; 404 when there is no such execution. */
    static String lockStatus(Connection c, String execution, String lock) throws SQLException {
        return Jdbc.text(
                        c,
                        "SELECT \"Status\" FROM " + MlSql.ml("Execution") + " WHERE \"RID\" = ? " + lock,
                        MlSql.rid("Execution", execution))
                .orElseThrow(() -> new CairnException.NotFound("No execution has RID " + execution + "."));
    }

    /**
     * The time from a moment on the execution's clock ({@code running_since} or
     * {@code upload_started}) to now, in DerivaML's words; null when the moment is unknown.
     */
    static String durationSince(Connection c, String execution, String moment) throws SQLException {
        if (!Set.of("running_since", "upload_started").contains(moment)) {
            throw new IllegalArgumentException(moment);
        }
        return Jdbc.text(
                        c,
                        "SELECT extract(epoch FROM now() - " + moment + ")::text FROM \"_deriva_ml\".execution_clock "
                                + "WHERE execution = ? AND " + moment + " IS NOT NULL",
                        execution)
                .map(ExecutionStates::duration)
                .orElse(null);
    }

    /** A duration in DerivaML's words: {@code 1H 2min 3.25sec}. */
    private static String duration(String epochSeconds) {
        double seconds = Double.parseDouble(epochSeconds);
        long hours = (long) (seconds / 3600);
        long minutes = (long) ((seconds - hours * 3600) / 60);
        return String.format(Locale.ROOT, "%dH %dmin %.4fsec", hours, minutes, seconds - hours * 3600 - minutes * 60);
    }
}
