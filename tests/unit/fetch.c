/*
 * fetch: the retry rule both HTTP clients share (ctp_fetch_retryable):
 * a transfer broken on the way, 429 and 5xx retry; any other answer,
 * and a failure on this side, does not.
 */
#include <curl/curl.h>

#include "fetch.h"
#include "tap.h"

int
main(void)
{
	static const CURLcode again[] = { CURLE_COULDNT_RESOLVE_HOST,
	    CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR,
	    CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
	    CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
	    CURLE_HTTP2_STREAM };
	static const CURLcode never[] = { CURLE_UNSUPPORTED_PROTOCOL,
	    CURLE_URL_MALFORMAT, CURLE_WRITE_ERROR, CURLE_OUT_OF_MEMORY,
	    CURLE_TOO_MANY_REDIRECTS, CURLE_PEER_FAILED_VERIFICATION,
	    CURLE_ABORTED_BY_CALLBACK, CURLE_FILESIZE_EXCEEDED };
	static const long retry[] = { 429, 500, 502, 503, 504, 599 };
	static const long stop[] = { 200, 204, 206, 301, 304, 400, 401, 403,
	    404, 408, 410, 413, 451, 499, 600 };
	size_t i;

	for (i = 0; i < sizeof(again) / sizeof(again[0]); i++)
		ok(ctp_fetch_retryable(again[i], 0), "curl %d (%s): retry",
		    (int)again[i], curl_easy_strerror(again[i]));
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ok(!ctp_fetch_retryable(never[i], 0), "curl %d (%s): no retry",
		    (int)never[i], curl_easy_strerror(never[i]));
	for (i = 0; i < sizeof(retry) / sizeof(retry[0]); i++)
		ok(ctp_fetch_retryable(CURLE_OK, retry[i]), "HTTP %ld: retry",
		    retry[i]);
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		ok(!ctp_fetch_retryable(CURLE_OK, stop[i]),
		    "HTTP %ld: no retry", stop[i]);
	ok(ctp_fetch_retryable(CURLE_RECV_ERROR, 200), "a transfer broken "
	    "after a 200: retry");
	ok(!ctp_fetch_retryable(CURLE_WRITE_ERROR, 503), "a failure on this "
	    "side: no retry, whatever the server said");
	return done_testing();
}
