package dev.cairn.catalog.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.ProblemMapper;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL's errors as the problems ERMrest reports, by SQLSTATE class: a value the client sent
 * is 400, a conflict with the catalog's state 409, a missing name 404; only a database that cannot
 * serve is 503, and anything else is a bug (500). Details are PostgreSQL's message and detail,
 * never its hints (which speak of SQL the client cannot run) nor its internal schemas, and are cut
 * short so that a huge value is not echoed back.
 */
public final class SqlProblems {

    private static final int MAX_DETAIL = 500;

    private SqlProblems() {}

    public static RuntimeException of(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = message(e);
        if (state.equals("3F000") || state.equals("42P01") || state.equals("42703") || state.equals("42704")) {
            return new CairnException.NotFound(message);
        }
        if (state.equals("23505")
                || state.equals("42P07")
                || state.equals("42P06")
                || state.equals("42710")
                || state.equals("42701")) {
            return new CairnException.Conflict(ErrorCode.ALREADY_EXISTS, message, e);
        }
        if (state.equals("2BP01") || state.equals("55006")) {
            return new CairnException.Conflict(ErrorCode.IN_USE, message, e);
        }
        if (state.startsWith("23") || state.equals("42830") || state.equals("P0001")) {
            return new CairnException.Conflict(message, e);
        }
        if (state.equals("21000")) {
            return new CairnException.Conflict(
                    ErrorCode.CONFLICT, "Two rows of the request name the same key; send each row once.", e);
        }
        if (state.equals("55P03")) {
            return new CairnException.Conflict(
                    ErrorCode.TRY_AGAIN, "The catalog is busy with other requests on the same tables; try again.", e);
        }
        if (state.startsWith("40")) {
            return new CairnException.Conflict(
                    ErrorCode.TRY_AGAIN, "The request conflicted with another one; try again. " + message, e);
        }
        if (state.equals("57014")) {
            return new CairnException.BadRequest(
                    ErrorCode.STATEMENT_TIMEOUT,
                    "The request ran longer than the catalog's statement limit of " + CatalogDatabases.STATEMENT_TIMEOUT
                            + "; narrow it (filters, fewer joins, a limit).");
        }
        if (state.equals("42501")) {
            return new CairnException.Forbidden(ErrorCode.ACL_DENIED, message);
        }
        if (state.startsWith("22")
                || state.startsWith("42")
                || state.equals("54000")
                || state.equals("54001")
                || state.equals("54011")
                || state.equals("54023")
                || state.equals("0A000")) {
            return new CairnException.BadRequest(message);
        }
        if (ProblemMapper.lostConnection(e)
                || state.startsWith("53")
                || state.startsWith("57")
                || state.equals("25006")) {
            return new CairnException.Unavailable(
                    "The catalog's database cannot serve the request now; try again later.", e);
        }
        return new IllegalStateException("Catalog database error " + state + ": " + e.getMessage(), e);
    }

    private static String message(SQLException e) {
        String text;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            text = server.getMessage() == null ? "" : server.getMessage();
            if (server.getDetail() != null && !server.getDetail().isBlank()) {
                text += ". " + server.getDetail();
            }
        } else {
            text = e.getMessage() == null
                    ? String.valueOf(e.getSQLState())
                    : e.getMessage().replaceFirst("^ERROR: ", "");
            int hint = text.indexOf("\n  Hint:");
            text = hint >= 0 ? text.substring(0, hint) : text;
        }
        text = text.replace("_ermrest.", "")
                .replace("\"_ermrest\".", "")
                .replace("\"_deriva_ml\".", "")
                .replace("\n", " ");
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
