package dev.cairn.vocabulary.boundary;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.RequestClient;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Vocabularies and their terms. Access: open to every client until authentication arrives;
 * changes are recorded with the requesting client.
 */
@Path("/api/catalogs/{cid}/vocabularies")
@Produces(MediaType.APPLICATION_JSON)
public class VocabulariesResource {

    @Inject
    Catalogs catalogs;

    @Inject
    Vocabularies vocabularies;

    @Context
    SecurityContext security;

    @GET
    public List<Map<String, String>> list(@PathParam("cid") String cid) {
        return vocabularies.list(catalogs.ml(cid).id()).stream()
                .map(v -> Map.of("schema", v.schema(), "name", v.table())).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("cid") String cid, JsonObject body) {
        JsonObject request = MlSql.body(body, "{\"name\": \"Diagnosis\", \"comment\": \"...\"}", "name", "schema", "comment");
        Catalog catalog = catalogs.ml(cid);
        Vocabularies.Vocabulary created = vocabularies.create(catalog, MlSql.string(request, "schema"),
                MlSql.required(request, "name"), MlSql.string(request, "comment"), RequestClient.of(security));
        return Response.created(URI.create("/api/catalogs/" + catalog.id() + "/vocabularies/" + dev.cairn.platform.PathSegment.encode(created.table())))
                .entity(Map.of("schema", created.schema(), "name", created.table())).build();
    }

    @GET
    @Path("{vocabulary}/terms")
    public JsonArray terms(@PathParam("cid") String cid, @PathParam("vocabulary") String vocabulary) {
        long id = catalogs.ml(cid).id();
        return vocabularies.terms(id, vocabularies.find(id, vocabulary));
    }

    @POST
    @Path("{vocabulary}/terms")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("cid") String cid, @PathParam("vocabulary") String vocabulary, JsonObject body) {
        JsonObject request = MlSql.body(body, "{\"name\": \"Segmentation_Mask\", \"description\": \"...\", \"synonyms\": []}", "name", "description", "synonyms");
        long id = catalogs.ml(cid).id();
        Vocabularies.Added added = vocabularies.add(id, vocabularies.find(id, vocabulary), MlSql.required(request, "name"),
                MlSql.string(request, "description"), MlSql.strings(request, "synonyms"), RequestClient.of(security));
        return Response.status(added.created() ? Response.Status.CREATED : Response.Status.OK).entity(added.term()).build();
    }

    @GET
    @Path("{vocabulary}/terms/{term}")
    public JsonObject lookup(@PathParam("cid") String cid, @PathParam("vocabulary") String vocabulary,
                             @PathParam("term") String term) {
        long id = catalogs.ml(cid).id();
        return vocabularies.lookup(id, vocabularies.find(id, vocabulary), term);
    }
}
