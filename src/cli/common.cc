#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

namespace medaudit::cli {
namespace fs = std::filesystem;

namespace {
std::string ExecutableDir() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

bool HasPacks(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "knowledge" / "drugs.json", ec);
}
}  // namespace

std::string ResolveRulesDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("MEDAUDIT_RULES"); env && *env) return env;
  const fs::path exe_dir = ExecutableDir();
  for (const fs::path& candidate :
       {exe_dir / ".." / "rules", exe_dir / ".." / "share" / "medaudit" / "rules",
        fs::path(MEDAUDIT_SOURCE_DIR) / "rules"}) {
    if (HasPacks(candidate)) return fs::weakly_canonical(candidate).string();
  }
  return (fs::path(MEDAUDIT_SOURCE_DIR) / "rules").string();
}

std::string ResolveCacheDir() {
  fs::path dir;
  if (const char* env = std::getenv("MEDAUDIT_CACHE_DIR"); env && *env) {
    dir = env;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    dir = fs::path(xdg) / "medaudit";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = fs::path(home) / ".cache" / "medaudit";
  } else {
    return "";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  return ec ? std::string() : dir.string();
}

void AddEngineFlags(CLI::App* app, EngineFlags* flags) {
  app->add_option("--rules", flags->rules_dir, "rules directory (default: the shipped rules/)");
  app->add_flag("--no-cache", flags->no_cache, "do not read or write the compiled-rules cache");
  app->add_option("--engine", flags->engine, "scan engine: hyperscan or re2")
      ->check(CLI::IsMember({"hyperscan", "re2"}));
  app->add_flag("--require-manifest", flags->require_manifest,
                "refuse rules that do not match rules/manifest.json (medaudit rules manifest)");
}

std::shared_ptr<const rules::Engine> LoadEngineOrReport(const EngineFlags& flags) {
  rules::EngineOptions options;
  options.rules_dir = ResolveRulesDir(flags.rules_dir);
  options.cache_dir = flags.no_cache ? std::string() : ResolveCacheDir();
  options.engine = flags.engine == "re2" ? match::Engine::kRe2 : match::Engine::kHyperscan;
  options.require_manifest = flags.require_manifest;
  options.pack_tests = flags.pack_tests ? rules::PackTests::kLoad : rules::PackTests::kSkip;
  options.identify_rules = flags.identify_rules;
  options.questions = flags.questions;
  auto engine = rules::Engine::Load(options);
  if (!engine) {
    std::cerr << "medaudit: cannot load rules from " << options.rules_dir << ": "
              << engine.error().ToString() << "\n";
    return nullptr;
  }
  if (flags.keep_until_exit) {
    // Reachable from a static until exit, so leak checkers do not report it.
    static auto* kept = new std::vector<std::shared_ptr<const rules::Engine>>();
    kept->push_back(*engine);
  }
  return *engine;
}

}  // namespace medaudit::cli
