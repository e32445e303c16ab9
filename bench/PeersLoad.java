import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the table bench/peers.sh compares on: a catalog with an asset-like table bench:Asset of ROWS
 * rows (Filename unique, 20 Kinds) inserted through the entity API in batches of 1,000, readable by
 * a plain user through a group on the catalog's select ACL (so every read runs the access checks).
 * Prints the insert rate on stderr, then "CID TOKEN" of that reader on stdout.
 * Usage: java bench/PeersLoad.java BASE_URL ADMIN_TOKEN ROWS
 */
public class PeersLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static String admin;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        admin = args[1];
        int rows = Integer.parseInt(args[2]);
        String cid = field(send("POST", base + "/api/catalogs", "{\"name\": \"peers\"}", 201, admin), "id");
        String catalog = base + "/ermrest/catalog/" + cid;
        send("POST", catalog + "/schema/bench", null, 201, admin);
        send("POST", catalog + "/schema/bench/table", """
                {"table_name": "Asset", "column_definitions": [
                  {"name": "Filename", "type": {"typename": "text"}, "nullok": false},
                  {"name": "URL", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Length", "type": {"typename": "int8"}, "nullok": false},
                  {"name": "MD5", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Kind", "type": {"typename": "text"}, "nullok": false}],
                 "keys": [{"unique_columns": ["Filename"]}]}""", 201, admin);
        int batch = 1000;
        long t = System.nanoTime();
        for (int b = 0; b < rows / batch; b++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
                int n = b * batch + i;
                String md5 = String.format("%032x", (long) n * 2654435761L);
                json.append(i == 0 ? "" : ",").append("{\"Filename\":\"file-").append(n).append(".png\",\"URL\":\"/hatrac/bench/")
                        .append(md5).append(".file-").append(n).append(".png\",\"Length\":").append(1000 + n % 5000)
                        .append(",\"MD5\":\"").append(md5).append("\",\"Kind\":\"kind-").append(n % 20).append("\"}");
            }
            send("POST", catalog + "/entity/bench:Asset", json.append(']').toString(), 200, admin);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        System.err.printf("bulk insert %,d rows through the entity API in batches of %,d: %.1f s, %,.0f rows/s%n",
                rows, batch, seconds, rows / seconds);

        send("POST", base + "/api/groups", "{\"name\": \"readers\"}", 201, admin);
        send("POST", base + "/api/users", "{\"username\": \"reader\", \"password\": \"peers reader password\", "
                + "\"groups\": [\"readers\"]}", 201, admin);
        send("PUT", catalog + "/acl/select", "[\"group:readers\"]", 204, admin);
        String cookie = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/authn/session"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=reader&password=peers+reader+password")).build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String token = field(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tokens")).header("Cookie", cookie)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"peers\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "token");
        System.out.println(cid + " " + token);
    }

    static String send(String method, String url, String json, int expected, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
