#include "commands.h"

namespace aftercare::cli {

namespace {
using Json = nlohmann::ordered_json;
}  // namespace

int export_file(Context& context, const std::string& format) {
  if (auto s = allow_only(context.args, "export " + format, {"--out"}); !s) {
    return report(s.error(), context.err);
  }
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
  const ExportFormat kind = format == "csv"    ? ExportFormat::kCsv
                            : format == "json" ? ExportFormat::kJson
                            : format == "fhir" ? ExportFormat::kFhir
                            : format == "pdf"  ? ExportFormat::kPdf
                                               : ExportFormat::kIcs;
  auto result = context.app.export_to(kind, *out);
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
  if (auto s = allow_only(context.args, "import", {}); !s) return report(s.error(), context.err);
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
