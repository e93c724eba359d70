import Hummingbird
import Store

/// Who am I, and (admin only) managing API tokens.
struct TokenRoutes {
    let store: Store
    let limits: ServerConfig.Limits

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("me") { _, context in
            TokenJSON(try context.caller)
        }
        api.get("tokens") { _, context in
            try context.requireAdmin("listing tokens")
            return TokenListJSON(tokens: try await store.tokens().map { TokenJSON($0) })
        }
        api.post("tokens") { request, context in
            var request = request
            try context.requireAdmin("creating tokens")
            let body = try await request.decodeJSON(CreateTokenRequest.self, limit: limits.maxJSONBytes)
            let (secret, token) = try await store.createToken(name: body.name, isAdmin: body.admin ?? false)
            return EditedResponse(status: .created, response: TokenJSON(token, secret: secret))
        }
        api.delete("tokens/:token") { _, context in
            try context.requireAdmin("revoking tokens")
            try await store.revokeToken(id: try context.id("token"))
            return Response(status: .noContent)
        }
    }
}
