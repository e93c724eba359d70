import Hummingbird
import Store

/// Accounts: server admins create, list and disable them and set passwords; anyone may change their own password.
struct AccountRoutes {
    let store: Store
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("accounts") { _, context in
            try context.requireAdmin("listing accounts")
            return AccountListJSON(accounts: try await store.accounts().map(AccountJSON.init))
        }
        api.post("accounts") { request, context in
            var request = request
            try context.requireAdmin("creating accounts")
            let body = try await request.decodeJSON(CreateAccountRequest.self, limit: limits.maxJSONBytes)
            let account = try await store.createAccount(name: body.name, password: body.password, isAdmin: body.admin ?? false)
            return EditedResponse(status: .created, response: AccountJSON(account))
        }
        api.put("accounts/:account/password") { request, context in
            var request = request
            let id = try context.id("account")
            if try context.caller.account.id != id { try context.requireAdmin("setting another account's password") }
            let body = try await request.decodeJSON(PasswordRequest.self, limit: limits.maxJSONBytes)
            try await store.setPassword(account: id, to: body.password)
            return Response(status: .noContent)
        }
        // Disabling is how a team lets someone go without losing who labelled what.
        api.put("accounts/:account/disabled") { request, context in
            var request = request
            try context.requireAdmin("disabling accounts")
            let id = try context.id("account")
            let body = try await request.decodeJSON(DisableRequest.self, limit: limits.maxJSONBytes)
            let account = try await store.setDisabled(
                account: id, body.disabled, caller: try context.caller.account.id, leaseHolder: Annotator.id(account: id))
            return AccountJSON(account)
        }
    }
}
