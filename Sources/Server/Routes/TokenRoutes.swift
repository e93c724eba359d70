import Hummingbird
import Store

/// Who am I, and API tokens: anyone manages the tokens of their own account, admins those of every account.
struct TokenRoutes {
    let store: Store
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("me") { _, context in
            AccountJSON(try context.caller.account)
        }
        api.get("tokens") { _, context in
            let caller = try context.caller
            let tokens = try await store.tokens(account: caller.isAdmin ? nil : caller.account.id)
            let admins = Set(try await store.accounts().filter(\.isAdmin).map(\.id))
            return TokenListJSON(tokens: tokens.map { TokenJSON($0, admin: admins.contains($0.accountId)) })
        }
        api.post("tokens") { request, context in
            var request = request
            let caller = try context.caller
            let body = try await request.decodeJSON(CreateTokenRequest.self, limit: limits.maxJSONBytes)
            if body.admin != nil {
                throw APIError(
                    .badRequest,
                    "'admin' is no longer a token's: a token has its account's rights; create an admin account"
                        + " (POST /api/accounts) and give it a token")
            }
            let account = body.account ?? caller.account.id
            if account != caller.account.id { try context.requireAdmin("creating tokens for another account") }
            let owner = try await store.account(account)
            let (secret, token) = try await store.createToken(name: body.name, account: owner.id)
            return EditedResponse(status: .created, response: TokenJSON(token, admin: owner.isAdmin, secret: secret))
        }
        api.delete("tokens/:token") { _, context in
            let caller = try context.caller
            let id = try context.id("token")
            // Another account's token is answered like a missing one, revoking nothing.
            if let token = try await store.token(id: id), caller.isAdmin || token.accountId == caller.account.id {
                try await store.revokeToken(id: id)
            } else if !caller.isAdmin {
                throw APIError(.notFound, "token \(id) does not exist")
            }
            return Response(status: .noContent)
        }
    }
}
