package dev.cairn.catalog.control;

import java.sql.SQLException;

import dev.cairn.platform.CairnException;

/** PostgreSQL's errors as the problems ERMrest reports: bad values are 400, constraint violations 409. */
final class SqlProblems {

    private SqlProblems() {
    }

    static CairnException of(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? state : e.getMessage().replaceFirst("^ERROR: ", "");
        if (state.equals("3F000") || state.equals("42P01") || state.equals("42703")) {
            return new CairnException.NotFound(message);
        }
        if (state.startsWith("23") || state.equals("42P07") || state.equals("42P06") || state.equals("42710")
                || state.equals("2BP01") || state.equals("42701")) {
            return new CairnException.Conflict(message, e);
        }
        if (state.startsWith("22") || state.equals("2201B") || state.equals("42804") || state.equals("42883")) {
            return new CairnException.BadRequest(message);
        }
        if (state.startsWith("40")) {
            return new CairnException.Conflict("The request conflicted with another one; try again. " + message, e);
        }
        return new CairnException.Unavailable("The catalog's database failed: " + message, e);
    }
}
