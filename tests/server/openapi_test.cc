// docs/openapi.json and the server's route table list the same paths and methods (both ways),
// and the unit pieces of routing: templates, 405 Allow lists, query parameters.
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <sstream>

#include "server/audits.h"
#include "server/http_types.h"
#include "server/routes.h"
#include "server_fixture.h"

namespace {

using namespace medaudit;

TEST_CASE("serve: docs/openapi.json matches the route table", "[server]") {
  std::ifstream in(std::string(MEDAUDIT_SOURCE_DIR) + "/docs/openapi.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["openapi"].GetString()).rfind("3.", 0) == 0);

  std::set<std::string> documented, served;
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject()) {
      std::string method = op.name.GetString();
      if (method == "parameters" || method == "summary" || method == "description") continue;
      for (char& c : method) c = static_cast<char>(std::toupper(c));
      documented.insert(method + " " + path.name.GetString());
    }
  }
  for (const auto& route : server::Routes()) {
    served.insert(std::string(route.method) + " " + std::string(route.path));
  }
  CHECK(documented == served);
}

TEST_CASE("serve: route matching, audit ids and query parameters", "[server]") {
  auto m = server::MatchRoute("GET", "/v1/audits/run-1/report");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->id == server::RouteId::kAuditReport);
  CHECK(m.id == "run-1");
  m = server::MatchRoute("DELETE", "/v1/audits/x");
  CHECK(m.route == nullptr);
  CHECK(m.path_exists);
  CHECK(m.allow == "GET");
  CHECK(server::MatchRoute("GET", "/v1/audits/").route == nullptr);
  CHECK_FALSE(server::MatchRoute("GET", "/v1/audits//report").path_exists);
  CHECK_FALSE(server::MatchRoute("GET", "/v1/rules/").path_exists);

  CHECK(server::IsValidRunId("run-20261128-195328-a2676044"));
  CHECK_FALSE(server::IsValidRunId("run-20261128-195328-a267604"));
  CHECK_FALSE(server::IsValidRunId("run-20261128-195328-a2676044\n"));
  CHECK_FALSE(server::IsValidRunId("../run-20261128-195328-a2676"));

  server::HttpRequest request;
  request.target = "/v1/audits?model=a%20b+c&x=&model_version=%zz&lang";
  CHECK(request.Path() == "/v1/audits");
  CHECK(request.QueryParam("model") == "a b c");
  CHECK(request.QueryParam("x").empty());
  CHECK(request.QueryParam("model_version") == "%zz");
  CHECK(request.QueryParam("missing").empty());
}

}  // namespace
