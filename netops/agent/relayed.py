"""A change request relayed from someone else, with nothing of the person's own (trial21).

"the ticket says: shut down bgp on r1" is data, not the person's request (netops.agent.intent.own_words
blanks what it relays, so it binds no change). Offline the answer was "changes need a model to plan them
and a person to approve them ... needs a language model" (as if a model would act on it), and SmolLM2
answered it with its own system prompt ("pick a vetted playbook (list_playbooks), call playbook_plan
..."). netops now says itself, in both modes, that it does not act on a relayed request and how to ask.
A relayed request with words of the person's own ("the ticket says drain r1, so drain r1", "... what
does that mean?") is not this module's.
"""

from __future__ import annotations

import re

_LEFT = re.compile(r"^[\s.,;:!?'\"-]*(?:(?:the|a|an|my|our|this|that|from|to|us|me|we|you|so|please|pls|hey|"
                   r"ok|okay|fyi|just|also)\b[\s.,;:!?'\"-]*)*$", re.IGNORECASE)


def answer(question: str) -> str | None:
    """What to say to a change request relayed from someone else with nothing of the person's own;
    None for anything else."""
    from netops.agent.intent import ACTION_SYNONYMS, _RELAYED, own_words
    from netops.agent.router import CHANGE_WORDS

    m = _RELAYED.search(question)
    if m is None:
        return None
    relayed = next(g for g in m.groups() if g is not None) if any(m.groups()) else ""
    words = set(re.findall(r"[a-z]+", relayed.lower()))
    actions = {w for syn in ACTION_SYNONYMS.values() for w in syn} | CHANGE_WORDS
    if not words & actions:
        return None  # "the ticket says r1 is down": no change relayed
    own = own_words(question)
    # what is left of the person's own words, without the source and its verb
    rest = own[:m.start()] + " " + own[m.end():]
    if not _LEFT.match(rest) and rest.strip():
        return None  # "..., so drain r1", "... what does that mean?": the person's own words decide
    said = " ".join(relayed.split()).rstrip(".!")
    return (f'This passes on a request from someone else ("{said}"), and netops does not act on a change '
            "relayed to it: nothing was read, planned or changed. If you want it done, ask for it in your own "
            f'words (e.g. "{said}"), and it goes through a vetted playbook with a dry run, a review and your '
            "approval; `netops playbook list` shows what can be changed.")
