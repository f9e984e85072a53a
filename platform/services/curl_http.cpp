#include "services/curl_http.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace aftercare::platform {

namespace {

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  auto& body = *static_cast<std::string*>(out);
  if (body.size() + size * count > HttpClient::kMaxAnswerBytes) return 0;  // abandons it
  body.append(data, size * count);
  return size * count;
}

// Failures that trying again won't mend: the server's certificate (or its chain, its status,
// its pinned key) does not verify.
bool is_certificate_failure(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return true;
    default:
      return false;
  }
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* out) {
  const std::string line(data, size * count);
  constexpr const char kRetryAfter[] = "retry-after:";
  if (line.size() > sizeof kRetryAfter) {
    std::string name = line.substr(0, sizeof kRetryAfter - 1);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == kRetryAfter) {
      // Only the delay-seconds form; an HTTP date is left to the caller's own pause.
      char* end = nullptr;
      const long seconds = std::strtol(line.c_str() + sizeof kRetryAfter - 1, &end, 10);
      if (end != line.c_str() + sizeof kRetryAfter - 1 && seconds >= 0) {
        static_cast<HttpResponse*>(out)->retry_after = std::chrono::seconds(seconds);
      }
    }
  }
  return size * count;
}

// Called by curl about once a second, and on every transfer of data: non-zero abandons it.
int abort_when_cancelled(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

}  // namespace

CurlHttpClient::CurlHttpClient(std::chrono::seconds timeout, std::chrono::seconds connect_timeout,
                               const std::atomic<bool>* cancel)
    : timeout_(timeout), connect_timeout_(connect_timeout), cancel_(cancel) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  const std::string& url = request.url;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kIo, url + ": cannot start an HTTP request");
  std::vector<std::string> lines = {"Accept: " + request.accept};
  if (request.method == HttpRequest::Method::kPost) {
    lines.push_back("Content-Type: " + request.content_type);
    lines.push_back("Expect:");  // turns off curl's 100-continue round trip before a large body
  }
  if (!request.authorization.empty()) lines.push_back("Authorization: " + request.authorization);
  curl_slist* list = nullptr;
  for (const std::string& header : lines) {
    curl_slist* longer = curl_slist_append(list, header.c_str());
    if (!longer) {
      curl_slist_free_all(list);
      return Error(ErrorCode::kIo, url + ": out of memory");
    }
    list = longer;
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(list, curl_slist_free_all);
  HttpResponse response;
  char message[CURL_ERROR_SIZE] = "";
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (request.method == HttpRequest::Method::kPost) {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "aftercare");
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(connect_timeout_.count()));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, message);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response);
  if (cancel_) {
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, abort_when_cancelled);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, cancel_);
  }
  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_WRITE_ERROR) {  // only collect_body's limit stops a write
    return Error(ErrorCode::kIo, url + ": the answer is over " +
                                     std::to_string(kMaxAnswerBytes >> 20) +
                                     " MiB; it was not read");
  }
  if (code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM) {
    return Error(ErrorCode::kUntrusted,
                 url + ": this machine's TLS certificates could not be read (" +
                     (*message ? std::string(message) : curl_easy_strerror(code)) +
                     "); not tried again");
  }
  if (is_certificate_failure(code)) {
    return Error(ErrorCode::kUntrusted,
                 url + ": the server's TLS certificate does not verify (" +
                     (*message ? std::string(message) : curl_easy_strerror(code)) +
                     "); not tried again");
  }
  if (code != CURLE_OK) {
    return Error(
        ErrorCode::kIo,
        url + ": no answer (" + (*message ? std::string(message) : curl_easy_strerror(code)) + ")");
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace aftercare::platform
