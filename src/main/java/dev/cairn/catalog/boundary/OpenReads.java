package dev.cairn.catalog.boundary;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Releases the database transaction of a read when its request ends. A read opens a cursor
 * before the response starts; normally streaming the response closes it, but a response that is
 * never written (the client's Accept refused after the fact, a write error, a disconnect) would
 * otherwise keep the transaction, and the locks it holds, open for ever.
 */
@WebListener
public class OpenReads implements ServletRequestListener {

    static final String ATTRIBUTE = OpenReads.class.getName();

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        if (event.getServletRequest().getAttribute(ATTRIBUTE) instanceof AutoCloseable open) {
            try {
                open.close();
            } catch (Exception ignored) {
                // already closed by the streamed response
            }
        }
    }
}
