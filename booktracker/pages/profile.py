"""/u/[username]: a reader's profile, their public posts, follow button,
followers/following lists, and editing one's own profile."""

import reflex as rx
from reflex.vars.object import ObjectVar

from booktracker import routes
from booktracker.components.books import WRAP, cover
from booktracker.components.forms import field, form_error, text_input
from booktracker.components.layout import empty_state, match_component, page, picture_beside
from booktracker.components.numbers import grouped_var
from booktracker.components.post_list import PostListMixin, post_list
from booktracker.components.posts import avatar
from booktracker.components.report import ReportState, report_dialog
from booktracker.components.share import share_button
from booktracker.db import session_scope
from booktracker.errors import NotFound, ServiceError
from booktracker.services import posts, privacy, safety, social
from booktracker.services.social import PersonView, ProfileView, ReadingView
from booktracker.state import AuthState, handle_errors

EMPTY_PROFILE = ProfileView(
    id=0,
    username="",
    name="",
    initials="",
    bio="",
    followers=0,
    following=0,
    books=0,
    finished=0,
    posts=0,
    is_me=False,
    i_follow=False,
    currently_reading=[],
)


class ProfileState(PostListMixin, AuthState):
    # rx.Field: the class attributes type-check as Vars (the page binds to them), the instance ones as values.
    profile: rx.Field[ProfileView] = rx.field(default_factory=lambda: EMPTY_PROFILE.model_copy(deep=True))
    found: rx.Field[str] = rx.field("loading")  # loading | found | missing
    people_tab: str = "posts"  # posts | followers | following
    people: rx.Field[list[PersonView]] = rx.field(default_factory=list)
    editing_profile: bool = False
    profile_error: rx.Field[str] = rx.field("")

    def _username(self) -> str:
        return str(self.router.page.params.get(routes.PROFILE_PARAM, ""))

    def _load_page(self, cursor: str) -> posts.FeedPage:
        with session_scope() as session:
            return posts.user_posts(
                session=session, viewer_id=self._viewer_id(), author_id=self.profile.id, cursor=cursor
            )

    def _load_profile(self) -> None:
        with session_scope() as session:
            self.profile = social.profile(session=session, viewer_id=self._viewer_id(), username=self._username())

    @rx.event
    @handle_errors
    def load(self):
        self.found, self.people_tab, self.people, self.editing_profile = "loading", "posts", [], False
        try:
            self._load_profile()
        except NotFound:
            self.profile, self.found = EMPTY_PROFILE, "missing"
            return
        # Not visible to this viewer: "This profile is private", nothing more to read.
        no_posts = posts.FeedPage(posts=[], next_cursor="")
        self._set_page(self._load_page("") if self.profile.visible else no_posts, append=False)
        self.found = "found"

    @rx.event
    @handle_errors
    def set_people_tab(self, tab: str):
        self.people_tab = tab if tab in ("posts", "followers", "following") else "posts"
        if self.people_tab == "posts" or not self.profile.visible:
            self.people_tab = "posts"
            return
        listing = social.followers if self.people_tab == "followers" else social.following
        with session_scope() as session:
            self.people = listing(session=session, viewer_id=self._viewer_id(), username=self.profile.username)

    @rx.event
    @handle_errors
    def toggle_follow(self):
        user_id = self.current_user_id()
        asked = None
        with session_scope() as session:
            if self.profile.i_follow or self.profile.requested:  # unfollow, or withdraw the request
                social.unfollow(session=session, user_id=user_id, username=self.profile.username)
            else:
                asked = social.follow(session=session, user_id=user_id, username=self.profile.username)
        was_visible = self.profile.visible
        self._load_profile()
        if self.profile.visible != was_visible:  # posts appear (or go) with the follow
            if self.profile.visible:
                self._set_page(self._load_page(""), append=False)
            else:
                self.people_tab = "posts"
                self._set_page(posts.FeedPage(posts=[], next_cursor=""), append=False)
        if asked == social.FOLLOW_REQUESTED:
            return rx.toast.info("Follow request sent: they approve or decline it.")
        return None

    @rx.event
    @handle_errors
    def toggle_safety(self, what: str):
        """Block / unblock or mute / unmute this reader (services/safety.py)."""
        user_id = self.current_user_id()
        on = not (self.profile.i_block if what == "block" else self.profile.i_mute)
        change = {"block": (safety.unblock, safety.block), "mute": (safety.unmute, safety.mute)}[what][on]
        with session_scope() as session:
            change(session=session, user_id=user_id, username=self.profile.username)
        self._load_profile()
        self._set_page(self._load_page(""), append=False)  # a block hides their posts from you too
        done = {("block", True): "Blocked", ("block", False): "Unblocked", ("mute", True): "Muted"}
        return rx.toast.success(f"{done.get((what, on), 'Unmuted')} @{self.profile.username}.")

    @rx.event
    def set_editing_profile(self, value: bool):
        self.editing_profile = value
        self.profile_error = ""

    @rx.event
    @handle_errors
    def save_profile(self, form: dict):
        user_id = self.current_user_id()
        try:
            with session_scope() as session:
                user = social.update_profile(
                    session=session,
                    user_id=user_id,
                    name=form.get("name", ""),
                    username=form.get("username", ""),
                    bio=form.get("bio", ""),
                )
        except ServiceError as exc:
            self.profile_error = exc.message
            return None
        self.user_name, self.username = user.name, user.username
        self.editing_profile = False
        return [rx.redirect(routes.profile(user.username)), rx.toast.success("Profile saved.")]


S = ProfileState


def profile_var() -> ObjectVar[ProfileView]:
    """The profile the page binds to; .to() only tells the type checker its fields (same JS)."""
    return S.profile.to(ObjectVar, ProfileView)


def stat(label: str, value, on_click=None) -> rx.Component:
    body = rx.vstack(
        rx.text(grouped_var(rx.Var.create(value)), weight="bold", size="4"),
        rx.text(label, size="1", color_scheme="gray"),
        spacing="0",
        align="center",
    )
    # Clickable or not, every count has the same box (a ghost button's negative
    # margins are undone), so the row lines up.
    shape = {"padding": "0.5rem", "min_width": "4.5rem", "height": "auto", "margin": "0"}
    if on_click is not None:
        return rx.button(body, variant="ghost", on_click=on_click, style=shape, class_name="profile-stat")
    return rx.box(body, style=shape, class_name="profile-stat")


def edit_dialog() -> rx.Component:
    p = profile_var()
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("pencil", size=14), "Edit profile", variant="soft", id="edit-profile")),
        rx.dialog.content(
            rx.dialog.title("Edit profile"),
            rx.form(
                rx.vstack(
                    form_error(S.profile_error),
                    field("Name", text_input("name", default_value=p.name, max_length=social.NAME_MAX, required=True)),
                    field(
                        "Username",
                        text_input("username", default_value=p.username, max_length=30, required=True),
                        hint="3–30 characters: a–z, 0–9, _",
                    ),
                    field(
                        "Bio",
                        rx.text_area(
                            name="bio", id="bio", default_value=p.bio, max_length=social.BIO_MAX, rows="4", width="100%"
                        ),
                    ),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Save", type="submit", id="save-profile"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save_profile,
                reset_on_submit=False,
            ),
        ),
        open=S.editing_profile,
        on_open_change=S.set_editing_profile,
    )


def follow_label(p: ObjectVar[ProfileView]) -> rx.Var:
    """Following / Requested (click: withdraw) / Request to follow (needs approval) / Follow."""
    needs_approval = (p.visibility == privacy.FOLLOWERS) | (p.visibility == privacy.PRIVATE)
    return rx.cond(
        p.i_follow,
        "Following",
        rx.cond(p.requested, "Requested", rx.cond(needs_approval, "Request to follow", "Follow")),
    )


def private_notice() -> rx.Component:
    """What a viewer who may not see the profile gets instead of its posts and books."""
    p = profile_var()
    why = rx.cond(
        AuthState.logged_in,
        rx.cond(
            p.visibility == privacy.FOLLOWERS,
            "Only followers they approve see their posts, books and follows.",
            "Only they see their posts, books and follows.",
        ),
        "Log in to see more of this reader, if they allow it.",
    )
    return rx.center(
        rx.vstack(
            rx.icon("lock", size=40, color=rx.color("gray", 9)),
            rx.heading(privacy.PRIVATE_MESSAGE, size="4", id="profile-private"),
            rx.text(why, color_scheme="gray", text_align="center"),
            align="center",
            spacing="3",
        ),
        padding="3rem 1rem",
        width="100%",
    )


def header() -> rx.Component:
    p = profile_var()
    stats = rx.hstack(
        stat("posts", p.posts, S.set_people_tab("posts")),
        stat("followers", p.followers, S.set_people_tab("followers")),
        stat("following", p.following, S.set_people_tab("following")),
        stat("books", p.books),
        stat("finished", p.finished),
        spacing="1",
        wrap="wrap",
        align="stretch",
        id="profile-stats",
    )
    actions = rx.cond(
        p.is_me,
        edit_dialog(),
        rx.cond(
            AuthState.logged_in,
            rx.hstack(
                rx.cond(
                    ~p.i_block,
                    rx.button(
                        follow_label(p),
                        variant=rx.cond(p.i_follow | p.requested, "soft", "solid"),
                        on_click=S.toggle_follow,
                        id="follow-button",
                    ),
                ),
                safety_menu(p),
            ),
        ),
    )
    return rx.card(
        picture_beside(
            avatar(p.initials, size="6", src=p.avatar_url),
            # Long unbroken names, usernames and bios wrap; dir="auto": an Arabic name reads right to left.
            rx.heading(p.name, size="6", id="profile-name", style=WRAP, dir="auto"),
            rx.hstack(
                rx.text(f"@{p.username}", color_scheme="gray", size="2", style=WRAP),
                share_button(routes.share_profile(p.username), p.name),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                p.bio != "",
                rx.text(p.bio, size="2", white_space="pre-wrap", id="profile-bio", style=WRAP, dir="auto"),
            ),
            rx.cond(p.visible, stats),
            after=(rx.spacer(), actions),
            id="profile-header",
        ),
        width="100%",
    )


def safety_menu(p: ObjectVar[ProfileView]) -> rx.Component:
    """Block, mute and report this reader."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("ellipsis", size=16), variant="soft", aria_label="More", id="profile-more")
        ),
        rx.menu.content(
            rx.menu.item(rx.cond(p.i_mute, "Unmute", "Mute"), on_click=S.toggle_safety("mute"), id="mute-item"),
            rx.menu.item(
                rx.cond(p.i_block, "Unblock", "Block"), on_click=S.toggle_safety("block"), color="red", id="block-item"
            ),
            rx.menu.item("Report", on_click=ReportState.open_report("user", p.id), id="report-reader-item"),
        ),
    )


def reading_now() -> rx.Component:
    def row(item: ObjectVar[ReadingView]) -> rx.Component:
        return rx.hstack(
            cover(item.book_cover_url, item.book_title, width="2.5rem"),
            rx.vstack(
                rx.link(item.book_title, href=routes.book_page(item.book_id), size="2", weight="bold", style=WRAP),
                rx.progress(value=item.percent, max=100, size="1", aria_label=f"Progress in {item.book_title}"),
                spacing="1",
                width="100%",
                min_width="0",
            ),
            width="100%",
        )

    return rx.cond(
        profile_var().currently_reading.to(list).length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("Currently reading", size="3"),
                rx.foreach(profile_var().currently_reading, row),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )


def person_row(person: ObjectVar[PersonView]) -> rx.Component:
    return rx.hstack(
        avatar(person.initials, size="2", src=person.avatar_url),
        rx.link(person.name, href=routes.profile(person.username), weight="bold", style=WRAP, min_width="0"),
        rx.text(f"@{person.username}", color_scheme="gray", size="2", style=WRAP, min_width="0"),
        align="center",
        width="100%",
    )


def profile_page() -> rx.Component:
    return page(
        match_component(
            S.found,
            ("loading", rx.center(rx.spinner(size="3"), padding="3rem")),
            ("missing", empty_state("user-x", "Reader not found", "There is no reader with that username.")),
            rx.vstack(
                header(),
                rx.cond(profile_var().visible, reading_now(), private_notice()),
                rx.cond(
                    profile_var().visible & (S.people_tab == "posts"),
                    post_list(S, empty=empty_state("message-square", "No posts yet", "Nothing shared here so far.")),
                    # The post list has the report dialog; without it, the page needs its own.
                    rx.fragment(rx.cond(profile_var().visible, people_card()), report_dialog()),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        max_width="48rem",
    )


def people_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(rx.cond(S.people_tab == "followers", "Followers", "Following"), size="4"),
            rx.cond(
                S.people.length() > 0,
                rx.foreach(S.people, person_row),
                rx.text("Nobody yet.", color_scheme="gray"),
            ),
            rx.button("Back to posts", variant="ghost", on_click=S.set_people_tab("posts")),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )
