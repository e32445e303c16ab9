package dev.cairn.vocabulary.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Vocabularies and their terms. Access: the list shows the vocabularies the caller may enumerate;
 * creating one needs {@code create} on its schema (or the catalog); terms need {@code select} on the
 * vocabulary table to read and {@code insert} to add. Changes are recorded with the requesting client.
 */
@Path("/api/catalogs/{cid}/vocabularies")
@Produces(MediaType.APPLICATION_JSON)
public class VocabulariesResource {

    @Inject
    CatalogRequest context;

    @Inject
    Vocabularies vocabularies;

    @Inject
    Caller caller;

    @GET
    public List<Map<String, String>> list() {
        long id = context.ml().id();
        return context
                .enumerable(vocabularies.list(id), Vocabularies.Vocabulary::schema, Vocabularies.Vocabulary::table)
                .stream()
                .map(v -> Map.of("schema", v.schema(), "name", v.table()))
                .toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject request =
                JsonBodies.object(body, "{\"name\": \"Diagnosis\", \"comment\": \"...\"}", "name", "schema", "comment");
        Catalog catalog = context.ml();
        context.requireCreate(JsonBodies.optionalString(request, "schema"));
        Vocabularies.Vocabulary created = vocabularies.create(
                catalog,
                JsonBodies.optionalString(request, "schema"),
                JsonBodies.required(request, "name"),
                JsonBodies.optionalString(request, "comment"),
                caller.client());
        return Response.created(URI.create(
                        "/api/catalogs/" + catalog.id() + "/vocabularies/" + PathSegment.encode(created.table())))
                .entity(Map.of("schema", created.schema(), "name", created.table()))
                .build();
    }

    @GET
    @Path("{vocabulary}/terms")
    public JsonArray terms(@PathParam("vocabulary") String vocabulary) {
        long id = context.ml().id();
        Vocabularies.Vocabulary found = vocabularies.find(id, vocabulary);
        context.require("select", found.schema(), found.table());
        return vocabularies.terms(id, found);
    }

    @POST
    @Path("{vocabulary}/terms")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("vocabulary") String vocabulary, JsonObject body) {
        JsonObject request = JsonBodies.object(
                body,
                "{\"name\": \"Segmentation_Mask\", \"description\": \"...\", \"synonyms\": []}",
                "name",
                "description",
                "synonyms");
        long id = context.ml().id();
        Vocabularies.Vocabulary found = vocabularies.find(id, vocabulary);
        context.require("insert", found.schema(), found.table());
        Vocabularies.Added added = vocabularies.add(
                id,
                found,
                JsonBodies.required(request, "name"),
                JsonBodies.optionalString(request, "description"),
                JsonBodies.strings(request, "synonyms"),
                caller.client());
        return Response.status(added.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(added.term())
                .build();
    }

    @GET
    @Path("{vocabulary}/terms/{term}")
    public JsonObject lookup(@PathParam("vocabulary") String vocabulary, @PathParam("term") String term) {
        long id = context.ml().id();
        Vocabularies.Vocabulary found = vocabularies.find(id, vocabulary);
        context.require("select", found.schema(), found.table());
        return vocabularies.lookup(id, found, term);
    }
}
