package dev.cairn.platform;

import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

import jakarta.ws.rs.ext.Provider;

/**
 * Whether the JAX-RS application routes requests yet. Payara answers {@code /health} while it is
 * still deploying Cairn; readiness must wait until the API itself answers, or a load balancer
 * that waits for UP sends traffic into the container's error pages.
 */
@Provider
public class Routing implements ApplicationEventListener {

    private static volatile boolean ready;

    public static boolean ready() {
        return ready;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        switch (event.getType()) {
            case INITIALIZATION_FINISHED, RELOAD_FINISHED -> ready = true;
            case DESTROY_FINISHED -> ready = false;
            default -> {
                // other stages change nothing
            }
        }
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        return null;
    }
}
