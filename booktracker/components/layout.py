"""The page frame: navbar, content column and footer."""

import reflex as rx

from booktracker import routes
from booktracker.components.notification_badge import notification_bell
from booktracker.components.posts import avatar
from booktracker.components.verify_banner import verify_banner
from booktracker.state import AuthState


def nav_link(text: str, href: str) -> rx.Component:
    return rx.link(text, href=href, size="3", weight="medium", underline="none", high_contrast=True)


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.cond(
                    AuthState.user_avatar != "",
                    avatar(rx.Var.create(""), size="1", src=AuthState.user_avatar),
                    rx.icon("circle-user", size=18),
                ),
                rx.text(AuthState.user_name, display=["none", "none", "inline"]),
                variant="soft",
                aria_label="Account menu",
            )
        ),
        rx.menu.content(
            rx.menu.item("Feed", on_click=rx.redirect(routes.HOME)),
            rx.menu.item("My profile", on_click=rx.redirect(routes.profile(AuthState.username))),
            rx.menu.item("Library", on_click=rx.redirect(routes.LIBRARY)),
            rx.menu.item("Add a book", on_click=rx.redirect(routes.ADD_BOOK)),
            rx.menu.item("Stats", on_click=rx.redirect(routes.STATS)),
            rx.menu.item("Import & export", on_click=rx.redirect(routes.IMPORT)),
            rx.menu.item("Find readers", on_click=rx.redirect(routes.PEOPLE)),
            rx.menu.item("Reading circles", on_click=rx.redirect(routes.CIRCLES)),
            rx.menu.item("For you", on_click=rx.redirect(routes.FOR_YOU)),
            rx.menu.item("Settings", on_click=rx.redirect(routes.ACCOUNT)),
            rx.menu.separator(),
            rx.menu.item("Log out", color_scheme="red", on_click=AuthState.logout, id="logout"),
        ),
    )


def navbar() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.link(
                rx.hstack(
                    # The app's own mark (assets/logo.svg, scripts/make_assets.py); the heading names the link.
                    rx.image(src="/logo.svg", alt="", width="28px", height="28px", flex_shrink="0"),
                    rx.heading("TrackMyRead", size="5"),
                    align="center",
                    spacing="2",
                ),
                href=routes.HOME,
                underline="none",
                color=rx.color("accent", 11),
            ),
            rx.spacer(),
            rx.cond(
                AuthState.logged_in,
                rx.hstack(
                    rx.hstack(
                        nav_link("Feed", routes.HOME),
                        nav_link("Library", routes.LIBRARY),
                        nav_link("Stats", routes.STATS),
                        nav_link("Add book", routes.ADD_BOOK),
                        spacing="4",
                        display=["none", "flex"],
                    ),
                    notification_bell(),
                    user_menu(),
                    align="center",
                    spacing="4",
                ),
                rx.hstack(
                    # One line each, and smaller on a phone (at 390 px they wrapped onto two lines).
                    rx.link(
                        "Log in",
                        href=routes.LOGIN,
                        size=rx.breakpoints(initial="2", sm="3"),
                        weight="medium",
                        underline="none",
                        high_contrast=True,
                        white_space="nowrap",
                    ),
                    rx.link(
                        rx.button("Sign up", size=rx.breakpoints(initial="1", sm="2"), white_space="nowrap"),
                        href=routes.SIGNUP,
                    ),
                    align="center",
                    spacing=rx.breakpoints(initial="2", sm="4"),
                    flex_shrink="0",
                ),
            ),
            rx.color_mode.button(size="2", variant="ghost", aria_label="Toggle dark mode"),
            align="center",
            spacing=rx.breakpoints(initial="3", sm="4"),
            width="100%",
            max_width="72rem",
            margin_x="auto",
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        aria_label="Main",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def page(*children: rx.Component, max_width: str = "72rem") -> rx.Component:
    """Wrap a page body in the shared frame."""
    return rx.box(
        navbar(),
        rx.el.main(
            verify_banner(),
            rx.box(
                *children,
                width="100%",
                max_width=max_width,
                margin_x="auto",
                padding="1rem",
                padding_bottom="4rem",
            ),
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def match_component(value: rx.Var, *cases) -> rx.Component:
    """rx.match over component cases (a page's loading / missing / found views).

    rx.match returns a component when its cases are components; its signature
    only says Component | Var, so this narrows it once for the pages.
    """
    component = rx.match(value, *cases)
    assert isinstance(component, rx.Component)
    return component


def picture_beside(picture: rx.Component, *details: rx.Component, after=(), **props) -> rx.Component:
    """A page's header: a picture (cover, avatar) with its details beside it,
    under it on phones; ``after``: what follows the details in the row (buttons)."""
    return rx.flex(
        picture,
        rx.vstack(*details, spacing="2", min_width="0"),
        *after,
        spacing="4",
        direction=rx.breakpoints(initial="column", sm="row"),
        width="100%",
        **props,
    )


def empty_state(icon: str, title: str, text: str, *actions: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=40, color=rx.color("gray", 9)),
            rx.heading(title, size="4", text_align="center", overflow_wrap="anywhere"),
            rx.text(text, color_scheme="gray", text_align="center"),
            *actions,
            align="center",
            spacing="3",
        ),
        padding="3rem 1rem",
        width="100%",
    )
