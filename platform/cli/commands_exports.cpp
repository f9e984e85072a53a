#include <fstream>

#include "base/visible_text.h"
#include "commands.h"

namespace aftercare::cli {

namespace {
using Json = nlohmann::ordered_json;
}  // namespace

// The clinic's key as given: 64 hex digits, or a file holding them.
Result<std::string> clinic_key(const std::string& given) {
  std::string text = given;
  std::error_code ec;
  if (given.size() != 64 && std::filesystem::is_regular_file(given, ec)) {
    std::ifstream in(given);
    in >> text;
  }
  return text;
}

int export_sealed(Context& context, const std::string& out, const std::string& given) {
  auto key = clinic_key(given);
  if (!key) return report(key.error(), context.err);
  auto result =
      context.app.export_sealed(out, *key, context.args.flags.count("--include-name") > 0);
  if (!result && result.error().code() == ErrorCode::kInvalidInput) {
    return report(result.error().with_context("--seal-for"), context.err);  // the key given
  }
  if (!result) return report(result.error(), context.err);
  if (context.args.global.json) {
    print_json(context.out, Json{{"format", "sealed"},
                                 {"path", result->file.string()},
                                 {"sha256", result->manifest.sha256},
                                 {"patient", result->manifest.patient},
                                 {"device", result->device}});
  } else {
    context.out << "Wrote " << result->file.string() << ", sealed for clinic key "
                << key->substr(0, 16) << "... and signed by this device ("
                << result->device.substr(0, 16) << "...).\n";
  }
  return kExitOk;
}

int patient_name(Context& context) {
  const auto& args = context.args;
  const bool clear = args.flags.count("--clear") > 0;
  if (clear && args.words.size() > 1) {
    return report(invalid_input("name: give a NAME or --clear, not both"), context.err);
  }
  if (clear || args.words.size() > 1) {
    const std::string name = clear ? std::string() : args.words[1];
    if (!clear && name.empty()) {
      return report(invalid_input("name: give your name, or --clear to forget it"), context.err);
    }
    if (auto set = context.app.set_patient_name(name); !set)
      return report(set.error(), context.err);
  }
  auto name = context.app.patient_name();
  if (!name) return report(name.error(), context.err);
  if (args.global.json) {
    print_json(context.out, Json{{"name", name->empty() ? Json(nullptr) : Json(*name)}});
  } else if (name->empty()) {
    context.out << "No name is kept on this device.\n";
  } else {
    context.out << "Your name on this device: " << visible_text(*name, true)
                << ". It goes only into exports made with --include-name.\n";
  }
  return kExitOk;
}

int export_file(Context& context, const std::string& format) {
  if (format != "csv" && format != "json" && format != "fhir" && format != "ics" &&
      format != "pdf") {
    return report(
        invalid_input("export: unknown format \"" + format + "\" (csv, json, fhir, pdf or ics)"),
        context.err);
  }
  const auto out = context.args.option("--out");
  if (!out) return report(invalid_input("export: --out PATH is required"), context.err);
  if (*out == "-" && format == "ics") {
    auto text = context.app.export_ics();
    if (!text) return report(text.error(), context.err);
    context.out << *text;
    return kExitOk;
  }
  const bool include_name = context.args.flags.count("--include-name") > 0;
  if (include_name) {
    auto name = context.app.patient_name();
    if (!name) return report(name.error(), context.err);
    if (name->empty()) {
      return report(invalid_input("--include-name: no name is kept on this device (set it with "
                                  "`aftercare name \"YOUR NAME\"`)"),
                    context.err);
    }
  }
  if (const auto seal = context.args.option("--seal-for")) {
    return export_sealed(context, *out, *seal);
  }
  const ExportFormat kind = format == "csv"    ? ExportFormat::kCsv
                            : format == "json" ? ExportFormat::kJson
                            : format == "fhir" ? ExportFormat::kFhir
                            : format == "pdf"  ? ExportFormat::kPdf
                                               : ExportFormat::kIcs;
  auto result = context.app.export_to(kind, *out, include_name);
  if (!result) return report(result.error(), context.err);
  const auto& manifest = result->manifest;
  if (context.args.global.json) {
    Json doc;
    doc["format"] = format;
    doc["path"] = result->file.string();
    doc["manifest"] = result->manifest_file.string();
    doc["sha256"] = manifest.sha256;
    doc["patient"] = manifest.patient;
    doc["chain_head"] = manifest.chain_head;
    print_json(context.out, doc);
  } else {
    context.out << "Wrote " << result->file.string() << " and its manifest "
                << result->manifest_file.string() << " (SHA-256 " << manifest.sha256.substr(0, 16)
                << "..., patient " << manifest.patient << ").\n";
  }
  return kExitOk;
}

int import_file(Context& context) {
  auto archive = context.app.import_archive(context.args.words.back());
  if (!archive) return report(archive.error(), context.err);
  if (context.args.global.json) {
    Json doc;
    doc["plans"] = archive->plans.size();
    doc["step_events"] = archive->step_events.size();
    doc["symptom_versions"] = archive->symptom_versions.size();
    print_json(context.out, doc);
  } else {
    context.out << "Imported " << archive->plans.size() << " session(s), "
                << archive->step_events.size() << " step events and "
                << archive->symptom_versions.size() << " symptom entries; the chain verifies.\n";
  }
  return kExitOk;
}

}  // namespace aftercare::cli
