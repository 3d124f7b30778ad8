package dev.bulwark.workflow.identity.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.domain.Members;
import dev.bulwark.workflow.identity.domain.OrgRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Organisations and their members. Admins manage the members of the organisation their token acts for. */
@Path("/api/v1/orgs")
@Produces(MediaType.APPLICATION_JSON)
public class OrganisationResource {

    private final Members members;
    private final CallerResolver callers;

    OrganisationResource(Members members, CallerResolver callers) {
        this.members = members;
        this.callers = callers;
    }

    public record CreateOrganisation(@NotBlank @Size(max = 200) String name) {
    }

    public record AddMember(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String password,
                            @NotBlank String role) {

        @Override
        public String toString() {
            return "AddMember[email=" + email + ", password=" + (password == null ? null : "***") + ", role=" + role
                    + "]";
        }
    }

    public record ChangeRole(@NotNull String role) {
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
    public List<Members.OrgView> mine() {
        return members.organisationsOf(callers.caller().userId());
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateOrganisation request, UriInfo uri) {
        Members.OrgView org = members.createOrganisation(request.name(), callers.caller().userId());
        return Response.created(uri.getAbsolutePathBuilder().path(org.id().toString()).build()).entity(org).build();
    }

    @GET
    @Path("/{org}/members")
    @RolesAllowed(Roles.ADMIN)
    public List<Members.Member> members(@PathParam("org") UUID org) {
        callers.callerIn(org);
        return members.list(org);
    }

    /**
     * 202 with the same body whether or not the address belongs to a user: existing users are invited (they accept
     * through {@code /api/v1/invitations}); with a password an unknown address becomes a new user and member.
     */
    @POST
    @Path("/{org}/members")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("org") UUID org, @Valid @NotNull AddMember request) {
        UUID admin = callers.callerIn(org).userId();
        return Response.accepted(members.add(org, request.email(), Optional.ofNullable(request.password()),
                OrgRole.of(request.role()), admin)).build();
    }

    @PUT
    @Path("/{org}/members/{user}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Members.Member changeRole(@PathParam("org") UUID org, @PathParam("user") UUID user,
                                     @Valid @NotNull ChangeRole request) {
        callers.callerIn(org);
        return members.changeRole(org, user, OrgRole.of(request.role()));
    }

    @DELETE
    @Path("/{org}/members/{user}")
    @RolesAllowed(Roles.ADMIN)
    public void remove(@PathParam("org") UUID org, @PathParam("user") UUID user) {
        callers.callerIn(org);
        members.remove(org, user);
    }
}
