// Subcommand serve: the HTTP front (src/server; docs/api.md). Parses flags into ServerOptions,
// refuses a non-loopback address without tokens (exit 2), runs until SIGTERM/SIGINT (graceful
// stop, exit 0). `serve --hash-token TOKEN` prints a tokens-file line instead of serving.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "server/auth.h"
#include "server/server.h"

namespace medaudit::cli {
namespace {

struct ServeFlags {
  server::ServerOptions options;
  EngineFlags engine;
  int port = 8080;
  int max_connections = 1024;
  int max_audits = 2;
  std::string hash_token, scopes = "check", name;
};

int RunHashToken(const ServeFlags& flags) {
  std::string token = flags.hash_token;
  if (token == "-") std::getline(std::cin, token);  // keeps the token out of shell history
  if (token.size() < 16) {
    std::cerr << "medaudit serve --hash-token: use a random token of at least 16 characters "
                 "(e.g. openssl rand -hex 32)\n";
    return kExitUsage;
  }
  auto scopes = server::ParseScopes(flags.scopes);
  if (!scopes) {
    std::cerr << "medaudit serve --scopes: " << scopes.error().message << "\n";
    return kExitUsage;
  }
  if (flags.name.empty() || flags.name.find_first_of(" \t\n") != std::string::npos) {
    std::cerr << "medaudit serve --hash-token needs --name NAME (one word, shown in logs)\n";
    return kExitUsage;
  }
  std::cout << server::TokenLine(token, *scopes, flags.name) << "\n";
  return kExitOk;
}

int RunServe(ServeFlags flags) {
  if (!flags.hash_token.empty()) return RunHashToken(flags);
  server::ServerOptions& options = flags.options;
  if (flags.port < 0 || flags.port > 65535) {
    std::cerr << "medaudit serve: --port must be 0..65535\n";
    return kExitUsage;
  }
  options.port = static_cast<uint16_t>(flags.port);
  options.limits.max_connections = flags.max_connections;
  options.limits.max_audits = flags.max_audits;
  // Checked before the rules load so that the refusal is immediate.
  if (options.tokens_file.empty() && !server::IsLoopbackHost(options.host)) {
    std::cerr << "medaudit serve: refusing to listen on " << options.host
              << " without --tokens: anyone who can reach it could use it. Create a tokens file "
                 "with `medaudit serve --hash-token - --scopes check --name NAME` or listen on "
                 "127.0.0.1.\n";
    return kExitUsage;
  }
  options.engine_options.rules_dir = ResolveRulesDir(flags.engine.rules_dir);
  options.engine_options.cache_dir = flags.engine.no_cache ? std::string() : ResolveCacheDir();
  options.engine_options.engine =
      flags.engine.engine == "re2" ? match::Engine::kRe2 : match::Engine::kHyperscan;
  options.engine_options.require_manifest = flags.engine.require_manifest;
  options.engine_options.pack_tests = rules::PackTests::kSkip;  // the service never reads them
  options.handle_signals = true;
  options.log = &std::cerr;
  auto server = server::Server::Start(options);
  if (!server) {
    std::cerr << "medaudit serve: " << server.error().ToString() << "\n";
    return kExitUsage;
  }
  const std::string scheme = options.tls_cert.empty() ? "http" : "https";
  std::cerr << "{\"message\":\"medaudit serve listening on " << scheme << "://" << options.host
            << ":" << (*server)->port()
            << "\",\"auth\":" << ((*server)->service().auth().enabled() ? "true" : "false") << "}"
            << std::endl;
  (*server)->Wait();
  std::cerr << "{\"message\":\"medaudit serve stopped\"}" << std::endl;
  return kExitOk;
}

}  // namespace

void AddServeCommands(CLI::App& app, CommandList* commands) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "HTTP API: check, guard, audits, reports");
  auto& o = flags->options;
  serve->add_option("--host", o.host, "address to listen on")->capture_default_str();
  serve->add_option("--port", flags->port, "port (0: any free port)")->capture_default_str();
  o.db = "reports/medaudit.db";
  serve->add_option("--db", o.db, "audit database")->capture_default_str();
  serve->add_option("--tokens", o.tokens_file,
                    "tokens file (lines: sha256:<hex> <scopes> <name>); required off loopback");
  serve->add_option("--tls-cert", o.tls_cert, "PEM certificate chain (enables HTTPS)");
  serve->add_option("--tls-key", o.tls_key, "PEM private key");
  serve->add_option("--threads", o.threads, "I/O threads (default: all cores)");
  serve->add_option("--max-connections", flags->max_connections, "concurrent connections")
      ->capture_default_str();
  serve->add_option("--max-audits", flags->max_audits, "audits running at once")
      ->capture_default_str();
  serve->add_option("--hash-token", flags->hash_token,
                    "print the tokens-file line for TOKEN ('-': read it from stdin) and exit");
  serve->add_option("--scopes", flags->scopes, "with --hash-token: check,audit,report,admin")
      ->capture_default_str();
  serve->add_option("--name", flags->name, "with --hash-token: the caller's name");
  AddEngineFlags(serve, &flags->engine);
  commands->push_back({serve, [flags] { return RunServe(*flags); }});
}

}  // namespace medaudit::cli
