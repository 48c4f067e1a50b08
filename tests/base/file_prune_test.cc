// PruneOldestFiles keeps a cache directory under its byte cap by dropping the least recently
// written files, never the one just written, and leaves other files alone.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "base/file.h"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("medaudit-prune-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Writes a file of `bytes` bytes whose write time is `age_seconds` in the past.
void WriteAged(const fs::path& path, size_t bytes, int age_seconds) {
  REQUIRE(medaudit::WriteFileAtomic(path.string(), std::string(bytes, 'x')).has_value());
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(age_seconds));
}

}  // namespace

TEST_CASE("PruneOldestFiles removes the least recently written cache files beyond the cap") {
  TempDir dir;
  WriteAged(dir.path / "a.hsdb", 100, 300);
  WriteAged(dir.path / "b.hsdb", 100, 200);
  WriteAged(dir.path / "c.hsdb", 100, 100);
  WriteAged(dir.path / "notes.txt", 1000, 400);  // other suffix: never counted or removed

  CHECK(medaudit::PruneOldestFiles(dir.path.string(), ".hsdb", 300, "") == 0);
  CHECK(medaudit::PruneOldestFiles(dir.path.string(), ".hsdb", 250, "") == 1);
  CHECK_FALSE(fs::exists(dir.path / "a.hsdb"));
  CHECK(fs::exists(dir.path / "b.hsdb"));
  CHECK(fs::exists(dir.path / "notes.txt"));
}

TEST_CASE("PruneOldestFiles never removes the file it is told to keep, and TouchFile renews one") {
  TempDir dir;
  WriteAged(dir.path / "old.hsdb", 100, 300);
  WriteAged(dir.path / "new.hsdb", 100, 10);
  medaudit::TouchFile((dir.path / "old.hsdb").string());  // used just now: the other one is older

  CHECK(medaudit::PruneOldestFiles(dir.path.string(), ".hsdb", 50,
                                   (dir.path / "old.hsdb").string()) == 1);
  CHECK(fs::exists(dir.path / "old.hsdb"));
  CHECK_FALSE(fs::exists(dir.path / "new.hsdb"));
}

TEST_CASE("PruneOldestFiles on a missing directory removes nothing") {
  CHECK(medaudit::PruneOldestFiles("/nonexistent-medaudit-dir", ".hsdb", 0, "") == 0);
}
