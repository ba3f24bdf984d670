'use strict';
// What the Worker gets for "react-dom/server" and "react-dom/server.edge" (wrangler.toml [alias]):
// ONE React server build instead of two. react-dom's edge entry bundles both its streaming build
// (renderToReadableStream, which @react-email/render calls) and its legacy build
// (renderToStaticMarkup, which letters call): 572 KiB. Kindly's templates never suspend, so the
// legacy build serves both; renderToReadableStream here renders synchronously and hands the
// markup over as a stream of one chunk. test/react-server-build.test.tsx checks every email and
// letter template renders byte for byte as with react-dom's own edge build.
var Suspense = require('react').Suspense;
var l;
if (process.env.NODE_ENV === 'production') {
  l = require('../../node_modules/react-dom/cjs/react-dom-server-legacy.browser.production.js');
} else {
  l = require('../../node_modules/react-dom/cjs/react-dom-server-legacy.browser.development.js');
}

exports.version = l.version;
exports.renderToString = l.renderToString;
exports.renderToStaticMarkup = l.renderToStaticMarkup;

// renderToString turns an error or a suspension inside a <Suspense> boundary into a client-render
// marker and carries on; a server that sends email has no client to finish it.
var CLIENT_RENDERED_BOUNDARY = '<!--$!-->';

// The error behind a client-render marker: follow the wrappers (@react-email/render passes
// ErrorBoundary > Suspense > template) to the first <Suspense> and render its content without a
// boundary, where an error is thrown instead of swallowed.
function errorInsideBoundary(node) {
  for (var depth = 0; depth < 4 && node && node.props; depth++) {
    if (node.type === Suspense) {
      try {
        l.renderToStaticMarkup(node.props.children);
      } catch (error) {
        return error;
      }
      break;
    }
    node = node.props.children;
  }
  return new Error('A component suspended while rendering; the Worker renders React synchronously (workers/bundle/react-dom-server.cjs)');
}

/**
 * renderToReadableStream for trees that render synchronously (all of Kindly's templates):
 * resolves to a one-chunk stream whose allReady has settled, or rejects (after onError) when
 * a component threw or suspended.
 */
exports.renderToReadableStream = function (children, options) {
  var onError = options && options.onError;
  var html;
  try {
    html = l.renderToString(children, options && { identifierPrefix: options.identifierPrefix });
    if (html.indexOf(CLIENT_RENDERED_BOUNDARY) !== -1) throw errorInsideBoundary(children);
  } catch (error) {
    if (onError) onError(error);
    return Promise.reject(error);
  }
  var bytes = new TextEncoder().encode(html);
  var stream = new ReadableStream({
    start: function (controller) {
      controller.enqueue(bytes);
      controller.close();
    }
  });
  stream.allReady = Promise.resolve();
  return Promise.resolve(stream);
};
