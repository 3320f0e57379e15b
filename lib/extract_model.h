/*
 * extract_model.h - the optional model extractor: the document's text
 * (never the file) sent to an OpenAI-compatible chat-completions
 * endpoint, which is asked for the same fields as JSON.  Off unless the
 * organization sets extract_model_url (with extract_model, and
 * extract_model_key when the endpoint needs one; extract_model_timeout
 * in seconds).  The key goes in the Authorization header only: never in
 * a message, an audit event or the URL.  The answer is checked like any
 * input (extract.h's ctp_extract_normalize): what does not pass is
 * dropped.
 */
#ifndef CTP_EXTRACT_MODEL_H
#define CTP_EXTRACT_MODEL_H

#include <stddef.h>

#include <sqlite3.h>

#include "err.h"
#include "extract.h"

#define CTP_MODEL_TEXT_MAX	(64 * 1024)	/* text sent, at most */
#define CTP_MODEL_ANSWER_MAX	(256 * 1024)	/* answer read, at most */

/*
 * Ask the model about text (a document of kind).  0 with *asked 0 when
 * no model is configured; else *asked 1 and either m filled (why "") or
 * why says what went wrong ("timed out after 5 s", "the answer is not
 * JSON").  Non-zero only for an error of the database or memory.
 */
int	ctp_extract_model(sqlite3 *db, const char *text, const char *kind,
	    struct ctp_extract *m, int *asked, char *why, size_t n,
	    struct ctp_error *e);

/*
 * The fields of a model's answer (the content of its message: a JSON
 * object with name, number, authority, issued, expires, each a string
 * or null) into m, each checked by ctp_extract_normalize; confidence
 * 70.  0, or -1 when content is not such an object.
 */
int	ctp_extract_model_parse(const char *content, const char *kind,
	    struct ctp_extract *m);

#endif
