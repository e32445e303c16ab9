package dev.cairn.platform;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address clients reach Cairn at ({@code scheme://host[:port]}), for the absolute URLs Cairn
 * writes into answers: a citation, a bag's {@code fetch.txt}. The {@code Host} header when it is a
 * plain host name or address, else the address the request arrived at.
 */
public final class ServerAddress {

    private ServerAddress() {}

    public static String of(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme() + "://" + host;
    }
}
