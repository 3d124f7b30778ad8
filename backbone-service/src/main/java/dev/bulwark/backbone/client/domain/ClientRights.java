package dev.bulwark.backbone.client.domain;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rights of the caller of a send or read: its registration, or — for a declared client without an organisation
 * (see {@link DeclaredClients}) — the registration made at its first call, in the organisation of its token.
 */
@ApplicationScoped
public class ClientRights {

    private final Clients clients;
    private final DeclaredClients declared;

    ClientRights(Clients clients, DeclaredClients declared) {
        this.clients = clients;
        this.declared = declared;
    }

    /** The caller's rights for a token acting for {@code orgId}; 403 when unregistered or in another organisation. */
    public Clients.Rights of(String subject, String orgId) {
        Clients.Rights rights;
        try {
            rights = clients.caller(subject);
        } catch (NotAllowed unregistered) {
            if (!declared.adopt(subject, orgId)) {
                throw unregistered;
            }
            rights = clients.caller(subject);
        }
        return rights.in(orgId);
    }
}
