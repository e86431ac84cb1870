/**
 * Chat text as it should be spoken: mentions, channel links, custom emoji and markdown removed,
 * links reduced to their label. Discord and Slack both write mentions in angle brackets, so one
 * pass serves both; the core then trims and counts what is left (core/jobs/speech.ts).
 */

/** Slack `<@U123|name>`, `<#C123|name>`, `<!here>`; Discord `<@123>`, `<@!123>`, `<@&123>`, `<#123>`, `</cmd:123>`. */
const MENTION = /<(?:@[!&]?|#|!|\/)[^>\s]*>/g;
/** Slack links: `<https://x|label>` says the label, `<https://x>` nothing (a URL read aloud is noise). */
const SLACK_LINK = /<(?:https?|mailto):[^|>]*(?:\|([^>]*))?>/g;
/** Discord custom emoji `<:name:123>` and `<a:name:123>`, Slack `:emoji_name:`. */
const CUSTOM_EMOJI = /<a?:[\w~-]+:\d+>|:[a-z0-9_+-]+:/gi;
/** Markdown links `[label](https://x)`. */
const MD_LINK = /\[([^\]]+)\]\((?:https?:\/\/)[^)\s]*\)/g;
const BARE_URL = /\bhttps?:\/\/\S+/g;
/** Code fences, then inline code markers, bold/italic/strike/spoiler markers, quote and heading markers. */
const FENCE = /```[a-z0-9]*\n?|```/gi;
// A lone `*` between spaces is arithmetic, not emphasis: only markers touching a word go.
const MARKERS = /\|\||`|(?<=\S)[*_~]+|[*_~]+(?=\S)/g;
const LINE_MARKERS = /^\s*(?:>{1,3}|#{1,3}|-#)\s?/gm;

/** Slack escapes `&`, `<` and `>` in message text. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function spokenText(raw: string): string {
  return unescapeSlack(
    raw
      .replace(SLACK_LINK, (_m, label: string | undefined) => label ?? '')
      .replace(MENTION, ' ')
      .replace(CUSTOM_EMOJI, ' ')
      .replace(MD_LINK, '$1')
      .replace(BARE_URL, ' ')
      .replace(FENCE, ' ')
      .replace(LINE_MARKERS, '')
      .replace(MARKERS, ''),
  )
    .replace(/[ \t]+/g, ' ')
    .trim();
}
