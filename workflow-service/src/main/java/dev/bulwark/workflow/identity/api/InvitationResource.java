package dev.bulwark.workflow.identity.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.domain.Members;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** The calling user's invitations to organisations, whatever organisation the token acts for. */
@Path("/api/v1/invitations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
public class InvitationResource {

    private final Members members;
    private final CallerResolver callers;

    InvitationResource(Members members, CallerResolver callers) {
        this.members = members;
        this.callers = callers;
    }

    @GET
    public List<Members.InvitationView> mine() {
        return members.invitationsOf(callers.caller().userId());
    }

    /** Joins the organisation; sign in with {@code org} to act for it. */
    @POST
    @Path("/{id}/accept")
    public Members.OrgView accept(@PathParam("id") UUID id) {
        return members.accept(callers.caller().userId(), id);
    }

    @POST
    @Path("/{id}/decline")
    public void decline(@PathParam("id") UUID id) {
        members.decline(callers.caller().userId(), id);
    }
}
