package dev.cairn.platform;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A client that stops reading a response (a cancelled download, a closed browser tab) is not an
 * error of Cairn's: Jersey would log it as two SEVERE stack traces ("An I/O error has occurred while
 * writing a response message entity" and "Error while closing the output stream"). This filter on
 * Jersey's responder logger drops those two records when their cause is the connection going away
 * (closed, reset, broken pipe), and keeps every other record. The request line still shows the
 * request; a FINE record on this class says the client left.
 */
public final class ClientAborts implements Filter {

    private static final Logger LOG = Logger.getLogger(ClientAborts.class.getName());
    /** Jersey's logger of response-writing failures; held here so that the filter stays on it. */
    private static final Logger RESPONDER = Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder");

    private ClientAborts() {}

    /** Puts the filter on Jersey's responder logger (again after a redeployment). */
    public static void install() {
        RESPONDER.setFilter(new ClientAborts());
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getThrown() != null && gone(record.getThrown())) {
            LOG.log(
                    Level.FINE,
                    "The client closed the connection before the response was sent: {0}",
                    record.getThrown().toString());
            return false;
        }
        return true;
    }

    /** Whether a failure is the client's connection going away. */
    static boolean gone(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof IOException && t.getMessage() != null) {
                String m = t.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("connection closed")
                        || m.contains("connection is closed")
                        || m.contains("connection reset")
                        || m.contains("broken pipe")
                        || m.contains("stream closed")) {
                    return true;
                }
            }
            if (t.getClass().getSimpleName().equals("ClientAbortException") || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }
}
