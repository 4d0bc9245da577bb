from tests.organisations.fixtures import *  # noqa: F403 - the shared organisation fixtures
