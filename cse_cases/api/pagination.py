from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from cse_cases.params import whole_number


class HarbourPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        # DRF quietly falls back to the default for a page size it cannot
        # read; a client asking for 500 would silently get 50 and think it had
        # everything. Anything but 1 to max_page_size is a 400.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        number = whole_number(value)
        if number is None or not 1 <= number <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Send a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return number

    def get_page_number(self, request, paginator) -> int:
        # DRF reads a blank or unreadable page as the first page (and "last"
        # as the last): answer the page asked for, or say it cannot be read.
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        number = whole_number(value)
        if number is None or number < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: ["Send a page number: a whole number from 1."]}
            )
        return number

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result set.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
