/**
 * Words that say nothing about a topic: English function words, the filler of conversations with
 * agents, common function words of other Latin-script languages, and the keywords of programming
 * languages (code noise).
 */
const english = `a about above after again against all almost also although always am among an and another any
anyone anything are aren around as at be became because been before being below between both but by can
cannot could did didn do does doesn doing don done down during each either else enough etc even ever every
few for from further had hadn has hasn have haven having he her here hers herself him himself his how however
i if in into is isn it its itself just least less let like likely ll made make many may maybe me might mine
more most much must my myself need neither no nor not now of off often on once one only or other others our
ours ourselves out over own per perhaps please quite rather re really s same see seem seems several shall she
should shouldn since so some something still such than that the their theirs them themselves then there
therefore these they thing things this those though through thus to too toward under until up upon us use
used uses using ve very via was wasn way we well were weren what whatever when where whether which while who
whom whose why will with within without won would wouldn yes yet you your yours yourself yourselves`;

const conversation = `ok okay sure thanks thank hi hello hey great good fine right yeah yep nope got get gets getting
go going goes want wants wanted know think thought look looks looking let lets try trying tried sounds sound
already actually basically simply again first second next last new old also able want need needs needed
done doing work works working check checking add added adding update updated change changed changes file files
line lines now here there see saw seen run running ran call called calls value values case cases part set sets
way ways time times kind bit lot lots one two three yes no true false null undefined none`;

const otherLanguages = `der die das und ist nicht ich es mit sie den ein eine zu auf auch wir sich dass wie le la les
et est des une un que pas je il pour dans du ce nous vous sur avec el los las y es de en una por con para no se lo
como pero del o os as e um uma com não em mais do da isso está você il lo gli che di per sono della questo anche
het een en van dat op voor zijn maar ook wat dit er och att det som är på för med inte jag har till av om vi kan ett så`;

const code = `const let var function return import export from default class extends new this self def async await
if else elif for while do switch case break continue try catch finally throw throws raise public private
protected static void int string number boolean bool float double char long short byte interface type enum
struct impl fn pub mut use mod package namespace using include require module exports typeof instanceof
yield lambda pass none nil end begin then fi done echo println printf print console log err error ok unwrap
args argv kwargs params param props ctx req res http https www com org io src lib dist node modules json yaml
yml md txt tsx jsx ts js py rb go rs java cpp sh bash zsh npm npx pnpm yarn git`;

export const stopWords: ReadonlySet<string> = new Set(
  `${english} ${conversation} ${otherLanguages} ${code}`.split(/\s+/).filter((w) => w.length > 0),
);
