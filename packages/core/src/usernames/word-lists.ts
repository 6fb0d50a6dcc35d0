/**
 * The default word lists of generated usernames: short, friendly, lower-case ASCII words, so
 * every generated name is URL-safe and says nothing about its owner.
 */
export const defaultAdjectives: readonly string[] = [
  'able', 'agile', 'amber', 'ample', 'azure', 'balmy', 'bold', 'brave', 'brisk', 'bright',
  'calm', 'candid', 'cheery', 'civic', 'clever', 'cosmic', 'cozy', 'crisp', 'curious', 'dapper',
  'daring', 'deft', 'eager', 'early', 'earnest', 'easy', 'epic', 'fair', 'fancy', 'fast',
  'fine', 'fleet', 'fluent', 'fond', 'frank', 'fresh', 'friendly', 'gentle', 'giddy', 'glad',
  'golden', 'good', 'grand', 'happy', 'hardy', 'hearty', 'helpful', 'honest', 'humble', 'ideal',
  'jolly', 'jovial', 'keen', 'kind', 'lively', 'loyal', 'lucid', 'lucky', 'lunar', 'magic',
  'mellow', 'merry', 'mighty', 'modest', 'noble', 'nimble', 'novel', 'open', 'patient', 'peppy',
  'placid', 'plucky', 'polite', 'proud', 'quick', 'quiet', 'radiant', 'rapid', 'ready', 'regal',
  'robust', 'rosy', 'rustic', 'sage', 'serene', 'sharp', 'shiny', 'silent', 'silver', 'simple',
  'sleek', 'smart', 'snappy', 'solar', 'solid', 'sonic', 'spry', 'steady', 'stellar', 'sturdy',
  'sunny', 'super', 'swift', 'tidy', 'tranquil', 'trusty', 'upbeat', 'valiant', 'vivid', 'warm',
  'wise', 'witty', 'zany', 'zesty', 'zippy',
];

export const defaultNouns: readonly string[] = [
  'acorn', 'alpaca', 'anchor', 'apple', 'arrow', 'aspen', 'badger', 'banjo', 'beacon', 'beaver',
  'bison', 'breeze', 'brook', 'canyon', 'cedar', 'cello', 'comet', 'coral', 'cougar', 'crane',
  'cricket', 'dolphin', 'dove', 'dune', 'eagle', 'ember', 'falcon', 'fern', 'finch', 'fjord',
  'flame', 'fox', 'gecko', 'geyser', 'glacier', 'harbor', 'hawk', 'hazel', 'heron', 'hill',
  'ibis', 'island', 'jaguar', 'jasper', 'kayak', 'kestrel', 'kiwi', 'koala', 'lagoon', 'lark',
  'lemur', 'lily', 'llama', 'lotus', 'lynx', 'maple', 'marble', 'meadow', 'meteor', 'mesa',
  'moose', 'nebula', 'nectar', 'newt', 'oak', 'ocean', 'orca', 'orchid', 'otter', 'owl',
  'panda', 'pebble', 'pelican', 'pepper', 'pine', 'planet', 'plum', 'pony', 'prairie', 'puffin',
  'quail', 'quartz', 'rabbit', 'raven', 'reef', 'ridge', 'river', 'robin', 'rocket', 'sage',
  'salmon', 'sequoia', 'shell', 'sparrow', 'spruce', 'squirrel', 'star', 'stone', 'summit', 'swan',
  'thistle', 'thunder', 'tiger', 'tulip', 'tundra', 'turtle', 'valley', 'violet', 'walrus', 'willow',
  'wren', 'yak', 'zebra', 'zephyr',
];
