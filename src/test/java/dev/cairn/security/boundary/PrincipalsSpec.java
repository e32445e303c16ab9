package dev.cairn.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http;
import dev.cairn.Http.Reply;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Specs that act as several users: made by the administrator, logged in through the session API. */
public abstract class PrincipalsSpec extends CairnSpec {

    protected static final String PASSWORD = "correct horse battery staple";

    /** A new user (in the given groups) and a token for it. */
    protected Http user(String... groups) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder list = new StringBuilder();
        for (String g : groups) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(g).append('"');
        }
        Reply created = http().postJson(
                        "/api/users",
                        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"display_name\":\"User "
                                + name + "\",\"groups\":[" + list + "]}");
        assertEquals(201, created.status(), created::toString);
        return http().as(token(login(name), "{\"name\":\"test\"}"));
    }

    protected String group() {
        String name = "g" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = http().postJson("/api/groups", "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    /** Logs in through the session API; returns the webauthn cookie. */
    protected String login(String username) {
        Reply session = http().anonymous()
                .send(http().anonymous()
                        .request("/authn/session")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))));
        assertEquals(201, session.status(), session::toString);
        String cookie = session.header("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        return cookie.substring(0, cookie.indexOf(';'));
    }

    protected Reply withCookie(String method, String path, String cookie, String contentType, String body) {
        HttpRequest.Builder request = http().anonymous()
                .request(path)
                .header("Cookie", cookie)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http().anonymous().send(request);
    }

    /** Makes a token through a session cookie. */
    protected String token(String cookie, String body) {
        Reply made = withCookie("POST", "/api/tokens", cookie, "application/json", body);
        assertEquals(201, made.status(), made::toString);
        return made.json().getString("token");
    }

    protected static String id(Http user) {
        return user.get("/authn/session").json().getJsonObject("client").getString("id");
    }
}
