package dev.cairn.security.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.security.boundary.IdentityViews.GroupView;
import dev.cairn.security.boundary.IdentityViews.UserView;
import dev.cairn.security.control.Identities;
import dev.cairn.security.entity.User;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Users and groups. Access: administrators list, create, change and disable users and manage
 * groups; a user reads itself and changes its own password, display name and e-mail; any logged-in
 * client lists groups.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    Identities identities;

    @Inject
    Caller caller;

    @GET
    @Path("users")
    public List<UserView> users() {
        caller.requireAdministrator("Listing users");
        return identities.users().stream().map(UserView::of).toList();
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createUser(JsonObject body) {
        caller.requireAdministrator("Creating users");
        caller.requireWriteScope();
        JsonBodies.only(
                required(body), "A user", "username", "password", "display_name", "email", "groups", "disabled");
        String password = JsonBodies.optionalString(body, "password");
        if (password == null || password.isEmpty()) {
            throw new CairnException.BadRequest(
                    "A new user needs a \"password\": it logs in with it, then makes tokens.");
        }
        User user = identities.createUser(JsonBodies.optionalString(body, "username"), change(body));
        return Response.created(URI.create("/api/users/" + user.username()))
                .entity(UserView.of(user))
                .build();
    }

    @GET
    @Path("users/{username}")
    public UserView user(@PathParam("username") String username) {
        self(username);
        return UserView.of(identities.user(username));
    }

    @PATCH
    @Path("users/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView changeUser(@PathParam("username") String username, JsonObject body) {
        self(username);
        caller.requireWriteScope();
        JsonBodies.only(required(body), "A user change", "password", "display_name", "email", "groups", "disabled");
        if (!caller.administrator() && (body.containsKey("groups") || body.containsKey("disabled"))) {
            throw new CairnException.Forbidden(
                    ErrorCode.ACL_DENIED, "Only administrators change a user's groups or disable it.");
        }
        if (caller.client().id().equals(User.ID_PREFIX + username)
                && Boolean.TRUE.equals(JsonBodies.optionalBoolean(body, "disabled"))) {
            throw new CairnException.Conflict(ErrorCode.LAST_ADMINISTRATOR, "You cannot disable yourself.");
        }
        return UserView.of(identities.changeUser(username, change(body)));
    }

    @GET
    @Path("groups")
    public List<GroupView> groups() {
        caller.requireLogin("Listing groups");
        return identities.groups().stream().map(GroupView::of).toList();
    }

    @POST
    @Path("groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createGroup(JsonObject body) {
        caller.requireAdministrator("Creating groups");
        caller.requireWriteScope();
        JsonBodies.only(required(body), "A group", "name", "display_name");
        GroupView group = GroupView.of(identities.createGroup(
                JsonBodies.optionalString(body, "name"), JsonBodies.optionalString(body, "display_name")));
        return Response.created(URI.create("/api/groups/" + group.name()))
                .entity(group)
                .build();
    }

    @PATCH
    @Path("groups/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupView changeGroup(@PathParam("name") String name, JsonObject body) {
        caller.requireAdministrator("Changing groups");
        caller.requireWriteScope();
        JsonBodies.only(required(body), "A group change", "display_name");
        return GroupView.of(identities.changeGroup(name, JsonBodies.optionalString(body, "display_name")));
    }

    @DELETE
    @Path("groups/{name}")
    public Response deleteGroup(@PathParam("name") String name) {
        caller.requireAdministrator("Deleting groups");
        caller.requireWriteScope();
        identities.deleteGroup(name);
        return Response.noContent().build();
    }

    private void self(String username) {
        caller.requireLogin("Reading a user");
        if (!caller.administrator() && !caller.client().id().equals(User.ID_PREFIX + username)) {
            throw new CairnException.Forbidden(ErrorCode.ACL_DENIED, "Only administrators read or change other users.");
        }
    }

    private static JsonObject required(JsonObject body) {
        if (body == null) {
            throw new CairnException.BadRequest("Send a JSON object.");
        }
        return body;
    }

    private static Identities.UserChange change(JsonObject body) {
        return new Identities.UserChange(
                JsonBodies.optionalString(body, "password"),
                JsonBodies.optionalString(body, "display_name"),
                JsonBodies.optionalString(body, "email"),
                JsonBodies.optionalStrings(body, "groups"),
                JsonBodies.optionalBoolean(body, "disabled"));
    }
}
